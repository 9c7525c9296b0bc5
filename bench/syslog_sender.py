#!/usr/bin/env python3
"""Sends PAN-OS TRAFFIC lines (RFC 3164 header, LF-terminated) over TCP, for the soak and rsyslog benchmarks.

  syslog_sender.py --port=5514 [--host=127.0.0.1] [--lines=N | --seconds=S] [--rate=R] [--connections=C]

--rate=0 sends as fast as the receiver takes them (TCP back-pressure). Lines vary source address, ports
and destination; 1 % come from five "scanners" hitting many ports, so detection has work. Prints one
JSON object at the end: {"sent": lines whose writes completed, "seconds": ...}. Only completed
socket writes are counted, so sent is exact for a receiver that loses nothing.
"""
import argparse
import json
import random
import socket
import sys
import threading
import time

TEMPLATE = ("<14>Nov 22 13:00:00 PA-SOAK 1,2026/11/22 13:00:00,012801096514,TRAFFIC,drop,2561,2026/11/22 13:00:00,"
            "{src},{dst},0.0.0.0,0.0.0.0,interzone-default,,,not-applicable,vsys1,untrust,trust,ethernet1/1,,"
            "Log-Forward,2026/11/22 13:00:00,0,1,{sport},{dport},0,0,0x0,tcp,deny,60,60,0,1,2026/11/22 12:59:58,0,any,,"
            "{session},0x0,Netherlands,10.0.0.0-10.255.255.255,,1,0,policy-deny,0,0,0,0,,PA-220,from-policy,,,0,,0,,N/A,0,0,0,0\n")
SCANNERS = ["45.155.205.%d" % i for i in range(10, 15)]


def make_lines(count, seed):
    rnd = random.Random(seed)
    out = []
    for i in range(count):
        if rnd.random() < 0.01:
            src = rnd.choice(SCANNERS)
            dport = rnd.randint(1, 1024)
            dst = "198.51.100.10"
        else:
            src = "%d.%d.%d.%d" % (rnd.choice([23, 45, 62, 77, 91, 103, 185, 203]), rnd.randint(0, 255),
                                   rnd.randint(0, 255), rnd.randint(1, 254))
            dport = rnd.choice([22, 23, 80, 443, 445, 3389, 8080])
            dst = "198.51.100.%d" % rnd.randint(1, 254)
        out.append(TEMPLATE.format(src=src, dst=dst, sport=rnd.randint(1024, 65535), dport=dport,
                                   session=rnd.randint(1, 10 ** 6)).encode())
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--lines", type=int, default=0, help="stop after this many lines (0: use --seconds)")
    ap.add_argument("--seconds", type=float, default=0, help="stop after this long")
    ap.add_argument("--rate", type=float, default=0, help="lines per second in all (0: as fast as taken)")
    ap.add_argument("--connections", type=int, default=2)
    ap.add_argument("--seed", type=int, default=42)
    a = ap.parse_args()
    if a.lines <= 0 and a.seconds <= 0:
        sys.exit("give --lines or --seconds")
    pool = make_lines(5000, a.seed)
    chunk = 100  # lines per write
    blocks = [b"".join(pool[i:i + chunk]) for i in range(0, len(pool), chunk)]
    sent = [0] * a.connections
    per_conn_lines = (a.lines + a.connections - 1) // a.connections if a.lines else 0
    per_conn_rate = a.rate / a.connections if a.rate else 0
    deadline = time.monotonic() + a.seconds if a.seconds else float("inf")
    start = time.monotonic()

    def run(k):
        s = socket.create_connection((a.host, a.port))
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        b = k
        try:
            while time.monotonic() < deadline and (not per_conn_lines or sent[k] < per_conn_lines):
                n = chunk
                if per_conn_lines and sent[k] + n > per_conn_lines:
                    n = per_conn_lines - sent[k]
                    s.sendall(b"".join(pool[:n]))
                else:
                    s.sendall(blocks[b % len(blocks)])
                b += 1
                sent[k] += n
                if per_conn_rate:
                    ahead = sent[k] / per_conn_rate - (time.monotonic() - start)
                    if ahead > 0:
                        time.sleep(ahead)
        finally:
            s.close()

    threads = [threading.Thread(target=run, args=(k,)) for k in range(a.connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(json.dumps({"sent": sum(sent), "seconds": round(time.monotonic() - start, 3)}))


if __name__ == "__main__":
    main()
