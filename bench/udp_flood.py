#!/usr/bin/env python3
"""Floods the UDP syslog port with PAN-OS lines from many loopback source addresses (127.0.x.y), as
fast as it can, for the UDP flood benchmark. Prints {"sent": N, "seconds": S} at the end.

  udp_flood.py --port=5514 --seconds=60 [--sources=1000] [--threads=2]
"""
import argparse
import json
import socket
import threading
import time

LINE = ("<14>Nov 22 13:00:00 PA-FLOOD 1,2026/11/22 13:00:00,012801096514,TRAFFIC,drop,2561,2026/11/22 13:00:00,"
        "203.0.113.50,198.51.100.10,0.0.0.0,0.0.0.0,interzone-default,,,not-applicable,vsys1,untrust,trust,"
        "ethernet1/1,,Log-Forward,2026/11/22 13:00:00,0,1,51515,3389,0,0,0x0,tcp,deny,60,60,0,1,"
        "2026/11/22 12:59:58,0,any,,7123,0x0,China,10.0.0.0-10.255.255.255,,1,0,policy-deny").encode()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--sources", type=int, default=1000, help="distinct source addresses 127.0.x.y (x.y from 1.1)")
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()
    sent = [0] * a.threads
    deadline = time.monotonic() + a.seconds
    start = time.monotonic()

    def run(k):
        socks = []
        for i in range(k, a.sources, a.threads):
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.bind(("127.0.%d.%d" % (1 + i // 250, 1 + i % 250), 0))
            socks.append(s)
        target = (a.host, a.port)
        n = 0
        while time.monotonic() < deadline:
            for s in socks:
                for _ in range(20):
                    try:
                        s.sendto(LINE, target)
                        n += 1
                    except OSError:
                        pass
        sent[k] = n

    threads = [threading.Thread(target=run, args=(k,)) for k in range(a.threads)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(json.dumps({"sent": sum(sent), "seconds": round(time.monotonic() - start, 3)}))


if __name__ == "__main__":
    main()
