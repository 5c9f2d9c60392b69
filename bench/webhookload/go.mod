module webhookload

go 1.24
