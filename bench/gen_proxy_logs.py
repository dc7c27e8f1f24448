#!/usr/bin/env python3
"""Writes a synthetic proxy log of a given size in Squid native or W3C (ProxySG ELFF) layout, and
indicator lists of 100 / 10,000 / 100,000 domains, some of which occur in the log.

Deterministic (seeded); used by bench/sweep_bench.sh. Usage:
  gen_proxy_logs.py squid|w3c SIZE_MB OUT_LOG
  gen_proxy_logs.py iocs N OUT_LIST
"""
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


def write_iocs(n, path):
    with open(path, "w") as out:
        for i in range(n):
            out.write(ioc_domain(i) + "\n")


if __name__ == "__main__":
    if sys.argv[1] == "iocs":
        write_iocs(int(sys.argv[2]), sys.argv[3])
    else:
        write_log(sys.argv[1], int(sys.argv[2]), sys.argv[3])
