// webhookload sends signed Twilio inbound webhooks at a fixed rate (an open loop: each request leaves at its
// scheduled time whether or not earlier ones have been answered) and prints each one's start offset, latency and
// status. bench/run.py uses it for the webhook-from-cold row: a Go client costs the 2-core machine a few percent of
// a core at 300 req/s, where Python's threads cost ~16 % and their GIL added waits to the measured latencies.
//
// Usage: go run . -url http://127.0.0.1:PORT/whatsapp/webhook -public http://localhost:PORT/whatsapp/webhook
//
//	-account AC... -token TOKEN -rate 300 -seconds 10 -start UNIX_SECONDS
package main

import (
	"bufio"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base64"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"sort"
	"strings"
	"sync"
	"time"
)

func sign(token, publicURL string, params map[string]string) string {
	keys := make([]string, 0, len(params))
	for k := range params {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var payload strings.Builder
	payload.WriteString(publicURL)
	for _, k := range keys {
		payload.WriteString(k)
		payload.WriteString(params[k])
	}
	mac := hmac.New(sha1.New, []byte(token))
	mac.Write([]byte(payload.String()))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

type result struct {
	offset, latency time.Duration
	status          int
}

func main() {
	target := flag.String("url", "", "where to send")
	public := flag.String("public", "", "the URL the signature covers (the service's PUBLIC_BASE_URL + path)")
	account := flag.String("account", "", "AccountSid")
	token := flag.String("token", "", "auth token the signature is made with")
	rate := flag.Int("rate", 300, "requests per second")
	seconds := flag.Int("seconds", 10, "how long")
	start := flag.Float64("start", 0, "unix time of the first request (0: now)")
	flag.Parse()

	n := *rate * *seconds
	type prepared struct {
		body, signature string
	}
	requests := make([]prepared, n)
	for i := range requests {
		id := make([]byte, 16)
		if _, err := rand.Read(id); err != nil {
			panic(err)
		}
		params := map[string]string{"MessageSid": "SM" + hex.EncodeToString(id), "AccountSid": *account,
			"From": fmt.Sprintf("whatsapp:+1415777%04d", i%10000), "To": "whatsapp:+14155238886",
			"Body": fmt.Sprintf("bench hello %d", i)}
		form := url.Values{}
		for k, v := range params {
			form.Set(k, v)
		}
		requests[i] = prepared{form.Encode(), sign(*token, *public, params)}
	}

	client := &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	begin := time.Now()
	if *start > 0 {
		begin = time.Unix(0, int64(*start*1e9))
	}
	results := make([]result, n)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		at := begin.Add(time.Duration(i) * time.Second / time.Duration(*rate))
		time.Sleep(time.Until(at))
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			sent := time.Now()
			req, _ := http.NewRequest("POST", *target, strings.NewReader(requests[i].body))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("X-Twilio-Signature", requests[i].signature)
			status := 0
			if resp, err := client.Do(req); err == nil {
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				status = resp.StatusCode
			}
			results[i] = result{sent.Sub(begin), time.Since(sent), status}
		}(i)
	}
	wg.Wait()
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	for _, r := range results {
		fmt.Fprintf(out, "%.6f %.6f %d\n", r.offset.Seconds(), r.latency.Seconds(), r.status)
	}
}
