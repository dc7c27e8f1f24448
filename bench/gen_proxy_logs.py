#!/usr/bin/env python3
"""Writes a synthetic proxy log of a given size in Squid native or W3C (ProxySG ELFF) layout, and
indicator lists of 100 / 10,000 / 100,000 domains, some of which occur in the log.

`squid-beacons` writes a Squid native log of an office over days instead: 400 PCs browsing in
office hours (Japan time), periodic benign services (updates, telemetry, a chat client's long
poll, a monitoring agent's heartbeat), five implants calling their C2 on timers with jitter (one
stops, one starts late, one through CONNECT), a strobe (one request a second for a day), and a few
odd lines (host names in upper case or with a trailing dot, an IPv6 client, requests without a
host). About 55 MB a day: 1 GB is about 19 days. Used by bench/beacons_bench.sh.

Deterministic (seeded); used by bench/sweep_bench.sh and bench/investigate_bench.sh. Usage:
  gen_proxy_logs.py squid|w3c|squid-beacons SIZE_MB OUT_LOG
  gen_proxy_logs.py iocs N OUT_LIST
"""
import heapq
import random
import sys

WORDS = ("alpha bravo cdn static img api login mail news shop video cloud data edge media secure "
         "update portal files docs app web assets stream sync auth track ads metrics").split()
TLDS = ["com", "net", "org", "jp", "co.jp", "io", "info", "biz", "de", "uk"]
AGENTS = ["Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36",
          "Mozilla/5.0 (Windows NT 6.1; WOW64; Trident/7.0; rv:11.0) like Gecko",
          "Microsoft-CryptoAPI/10.0", "Windows-Update-Agent/10.0.10011.16384 Client-Protocol/2.50"]


def domain(rng):
    return "%s%d.%s.%s" % (rng.choice(WORDS), rng.randrange(1000), rng.choice(WORDS), rng.choice(TLDS))


def ioc_domain(i):
    # Shaped like the log's own host names (word, number, word, TLD) so that substring search
    # meets as many near-misses as it would on real indicator lists; never equal to a log host
    # (those use numbers below 1000).
    rng = random.Random(1000003 * (i + 1))
    return "%s%d.%s.%s" % (rng.choice(WORDS), 1000 + i, rng.choice(WORDS), rng.choice(TLDS))


def write_log(layout, size_mb, path):
    rng = random.Random(42)
    hosts = [domain(rng) for _ in range(20000)]
    # one line in a thousand goes to an indicator domain (the first 100 of every list)
    bad = [ioc_domain(i) for i in range(100)]
    limit = size_mb << 20
    written = 0
    t = 1700000000.0
    with open(path, "w", buffering=1 << 22) as out:
        if layout == "w3c":
            out.write("#Software: SGOS 6.7.4.1\n#Version: 1.0\n#Date: 2023-11-14 22:13:20\n"
                      "#Fields: date time time-taken c-ip cs-username cs-auth-group x-exception-id "
                      "sc-filter-result cs-categories cs(Referer) sc-status s-action cs-method "
                      "rs(Content-Type) cs-uri-scheme cs-host cs-uri-port cs-uri-path cs-uri-query "
                      "cs-uri-extension cs(User-Agent) s-ip sc-bytes cs-bytes x-virus-id\n")
        lines = []
        while written < limit:
            t += rng.random() * 0.01
            # 2,000 PCs, each with its address and user (one user per PC, as on real networks)
            pc = rng.randrange(2000)
            client = "10.%d.%d.%d" % (pc // 1000, (pc // 250) % 4, pc % 250 + 1)
            host = rng.choice(bad) if rng.random() < 0.001 else rng.choice(hosts)
            path_ = "/%s/%s%d.%s" % (rng.choice(WORDS), rng.choice(WORDS), rng.randrange(100000),
                                      rng.choice(["html", "js", "png", "php", "css"]))
            size = rng.randrange(200, 200000)
            user = "user%04d" % pc
            if layout == "squid":
                line = "%.3f %6d %s TCP_MISS/200 %d GET http://%s%s %s HIER_DIRECT/203.0.%d.%d text/html\n" % (
                    t, rng.randrange(5, 5000), client, size, host, path_, user, rng.randrange(256), rng.randrange(256))
            else:
                sec = int(t)
                stamp = "2023-11-%02d %02d:%02d:%02d" % (14 + (sec - 1700000000) // 86400 % 14, sec // 3600 % 24,
                                                          sec // 60 % 60, sec % 60)
                line = ("%s %d %s %s - - OBSERVED \"Technology/Internet\" - 200 TCP_NC_MISS GET text/html http "
                        "%s 80 %s - %s \"%s\" 10.0.0.1 %d %d -\n") % (
                    stamp, rng.randrange(5, 5000), client, user, host, path_, path_.rsplit(".", 1)[1],
                    rng.choice(AGENTS), size, rng.randrange(200, 2000))
            lines.append(line)
            written += len(line)
            if len(lines) >= 10000:
                out.write("".join(lines))
                lines.clear()
        out.write("".join(lines))


def write_beacon_log(size_mb, path):
    rng = random.Random(7)
    start = 1700438400  # Monday 2023-11-20 00:00 UTC, 09:00 in Japan
    day = 86400
    hosts = [domain(rng) for _ in range(5000)]
    cdns = ["static%d.%s-cdn.net" % (i, rng.choice(WORDS)) for i in range(20)]
    addresses = {}

    def server_ip(host):
        # 1 to 3 addresses a site; CDNs rotate through 16 (more than a beacon series lists)
        if host not in addresses:
            n = 16 if host.endswith("-cdn.net") else rng.randrange(1, 4)
            addresses[host] = ["203.0.%d.%d" % (rng.randrange(256), rng.randrange(1, 255)) for _ in range(n)]
        return rng.choice(addresses[host])

    clients = ["10.20.%d.%d" % (pc // 200, pc % 200 + 10) for pc in range(400)]
    clients[399] = "2001:db8:20::399"
    favourites = [rng.sample(hosts, 30) for _ in clients]
    limit = size_mb << 20
    written = 0
    lines = []
    out = open(path, "w", buffering=1 << 22)

    def emit(t, pc, host, size, method="GET", url=None, code="TCP_MISS/200", kind="text/html"):
        nonlocal written
        client = clients[pc]
        if method == "CONNECT":
            url = "%s:443" % host
            hier = "HIER_DIRECT/" + server_ip(host.lower().rstrip("."))
            kind = "-"
        elif host is None:  # no host: an invalid request
            hier = "HIER_NONE/-"
        else:
            url = "http://%s%s" % (host, url or "/")
            hier = "HIER_DIRECT/" + server_ip(host.lower().rstrip("."))
        line = "%.3f %6d %s %s %d %s %s user%03d %s %s\n" % (
            t, rng.randrange(5, 3000), client, code, size, method, url, pc, hier, kind)
        lines.append(line)
        written += len(line)
        if len(lines) >= 10000:
            out.write("".join(lines))
            lines.clear()

    def page(rng_):
        return "/%s/%s%d.%s" % (rng_.choice(WORDS), rng_.choice(WORDS), rng_.randrange(100000),
                                rng_.choice(["html", "js", "png", "php", "css"]))

    # (interval s, jitter fraction, size, size jitter, start offset s, stop offset s or None)
    # Benign periodic services on every PC
    services = [("ctldl.windowsupdate.com", 3600, 0.1, 1800, 40, 0, None),
                ("Telemetry.Vendor-Stats.COM", 900, 0.05, 2200, 12, 0, None),
                ("update.av-vendor.net", 7200, 0.2, 350, 0, 0, None)]
    queue = []
    seq = 0

    def push(t, what):
        nonlocal seq
        seq += 1
        heapq.heappush(queue, (t, seq, what))

    for pc in range(len(clients)):
        for i, svc in enumerate(services):
            push(start + rng.random() * svc[1], ("svc", pc, svc))
        push(start + rng.random() * 300, ("browse", pc))
    for pc in range(0, 400, 8):  # a chat client's long poll on 50 PCs
        push(start + rng.random() * 30, ("svc", pc, ("poll.chat-vendor.com", 30, 0.08, 620, 30, 0, None)))
    push(start, ("svc", 5, ("agent.monitoring-saas.com", 8, 0.02, 300, 4, 0, None)))  # heartbeat
    implants = [
        (17, ("cdn-sync.kafkoo.xyz", 60, 0.1, 512, 8, 0, None)),
        (42, ("api.stat-counter.top", 300, 0.3, 1020, 30, 0, 3 * day + 7000)),   # the PC went off
        (93, ("update.office-365-cache.com", 1800, 0.05, 2400, 20, day + 3600, None)),  # starts late
        (150, ("news.img-loader.info", 45, 0.5, 700, 200, 0, None)),              # heavy jitter
        (211, ("sync.cloud-drives.biz", 120, 0.2, 4800, 300, 0, None)),          # through CONNECT
    ]
    for pc, spec in implants:
        push(start + spec[5], ("svc", pc, spec))
    push(start + day + day // 2, ("strobe", 260, start + 2 * day + day // 2))

    while written < limit:
        t, _, what = heapq.heappop(queue)
        if what[0] == "svc":
            _, pc, (host, interval, jitter, size, size_jitter, begin, stop) = what
            if stop is not None and t >= start + stop:
                continue
            name = host
            if host.startswith("ctldl") and rng.random() < 0.01:
                name = host + "."  # now and then with the root's dot
            if host == "sync.cloud-drives.biz":
                emit(t, pc, name, size + rng.randrange(-size_jitter, size_jitter + 1), method="CONNECT",
                     code="TCP_TUNNEL/200")
            else:
                emit(t, pc, name, size + rng.randrange(-size_jitter, size_jitter + 1),
                     url="/v1/check?id=%d" % pc, kind="application/json")
            push(t + interval * (1 + rng.uniform(-jitter, jitter)), what)
        elif what[0] == "strobe":
            _, pc, until = what
            if t < until:
                emit(t, pc, "time-sync.ntp-vendor.org", 90, url="/tick", kind="text/plain")
                push(t + rng.uniform(0.7, 1.1), what)
        else:
            _, pc = what
            local = t + 9 * 3600  # Japan time
            hour = int(local) // 3600 % 24
            weekday = (int(local) // day + 3) % 7  # 1970-01-01 was a Thursday
            if weekday < 5 and 9 <= hour < 18:
                host = rng.choice(favourites[pc]) if rng.random() < 0.7 else rng.choice(hosts)
                emit(t, pc, host, rng.randrange(2000, 90000), url=page(rng))
                for _ in range(rng.randrange(0, 9)):
                    sub = host if rng.random() < 0.5 else rng.choice(cdns)
                    emit(t + rng.random() * 3, pc, sub, rng.randrange(200, 200000), url=page(rng))
                if rng.random() < 0.0005:
                    emit(t, pc, None, 0, method="NONE", url="error:invalid-request", code="TCP_DENIED/400")
                push(t + rng.expovariate(1 / 300), what)
            else:  # next morning
                days_ahead = 1 if hour >= 18 else 0
                next_day = (int(local) // day + days_ahead) * day  # local midnight = 09:00 UTC before
                while (next_day // day + 3) % 7 >= 5:
                    next_day += day
                push(next_day + rng.random() * 1800, what)  # 09:00 to 09:30 in Japan
    out.write("".join(lines))
    out.close()


def write_iocs(n, path):
    with open(path, "w") as out:
        for i in range(n):
            out.write(ioc_domain(i) + "\n")


if __name__ == "__main__":
    if sys.argv[1] == "iocs":
        write_iocs(int(sys.argv[2]), sys.argv[3])
    elif sys.argv[1] == "squid-beacons":
        write_beacon_log(int(sys.argv[2]), sys.argv[3])
    else:
        write_log(sys.argv[1], int(sys.argv[2]), sys.argv[3])
