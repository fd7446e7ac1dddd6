using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace TaobaoAlliance.Bench;

/// <summary>Writes docs/performance.md from one run: the machine, how it was measured, every scenario beside the bare app.</summary>
internal static class Report
{
    public const string ScaleHeading = "## Reports at scale";
    public const string ResilienceHeading = "## Wallet history and failures";
    public const string ClusterHeading = "## Several nodes";

    private const string Limits = """
        ## Limits of this harness

        - **One client IP, many shoppers.** wrk cannot bind source addresses, so every request comes from 127.0.0.1. The CPC click and the 64-connection click redirect send each request as a shopper of its own, the way HAProxy does in front of a cluster: an `X-Forwarded-For` with a new loopback address per request, which the app trusts from 127.0.0.1 only (`Proxy__TrustedAddresses__0`). So their clicks are valid and every paid click is charged (no repeat rule). The other scenarios are one shopper: beyond the raised per-IP limit (10,000 clicks a minute per site) their clicks are recorded as invalid, written and answered like any other.
        - **Aborted requests.** wrk closes its connections at the end of each run; requests still in the app then are cancelled; the app logs them at Debug, as a client that gave up (not as 500s). wrk never reads those answers, so they are not in the table.
        """;
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Describe(WrkResult r) => string.Create(Inv,
        $"{r.RequestsPerSecond,8:0} req/s  p50 {r.P50Ms,7:0.00}  p99 {r.P99Ms,7:0.00}  max {r.MaxMs,8:0.00} ms  {string.Join(' ', r.Statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}:{s.Value}"))}{(r.SocketErrors + r.Timeouts > 0 ? $"  socket errors {r.SocketErrors}, timeouts {r.Timeouts}" : "")}{(r.RanOut ? "  (ran out of paths)" : "")}");

    public static string Describe(AuctionTiming t) => string.Create(Inv,
        $"{t.Bidders,4} bidders: median {t.MedianNs,10:0} ns/run (min {t.MinNs:0}, max {t.MaxNs:0}), {t.BytesPerRun:0} B allocated/run");

    /// <summary>Charged clicks per second of the run, by campaign: the rate each campaign's grain decided and committed.</summary>
    public static string ChargedPerSecond(IEnumerable<ChargeCount> charges, double seconds) =>
        "Charged per second: " + string.Join(", ", charges.Where(c => c.Outcome == "Charged")
            .Select(c => string.Create(Inv, $"campaign {c.CampaignId} **{c.Count / seconds:0}/s**"))) + ".";

    public static string Markdown(RunRecord run)
    {
        var md = new StringBuilder();
        void Line(FormattableString text) => md.AppendLine(text.ToString(Inv));

        Line($"# Performance");
        md.AppendLine();
        Line($"Written by `./build.sh bench` (bench/run.sh → bench/TaobaoAlliance.Bench → wrk); every number comes from the one run described here. Each path is measured on the real app and, just before, on a **bare Kestrel app** (no database, same response) started by the same run: read the **ratio** (app req/s ÷ bare req/s). wrk, the app and PostgreSQL share the machine's cores, so absolute numbers say as much about the machine as about the code.");
        md.AppendLine();
        Line($"## The run");
        md.AppendLine();
        Line($"- **Date**: {run.StartedAt:yyyy-MM-dd HH:mm} UTC; the measured part took {(run.FinishedAt - run.StartedAt).TotalSeconds:0} s.");
        Line($"- **Machine**: {CpuModel()}, {Environment.ProcessorCount} cores, {MemoryGiB():0.0} GiB RAM, {RuntimeInformation.OSDescription}; {RuntimeInformation.FrameworkDescription}; load average at the end {LoadAverage()}.");
        Line($"- **PostgreSQL** {Setting(run, "server_version")}, a throwaway cluster in /tmp with **default durability**: fsync={Setting(run, "fsync")}, synchronous_commit={Setting(run, "synchronous_commit")}, full_page_writes={Setting(run, "full_page_writes")} (a click's 302 waits for its WAL flush); shared_buffers={Setting(run, "shared_buffers")}×8kB, max_connections={Setting(run, "max_connections")}, track_wal_io_timing={Setting(run, "track_wal_io_timing")}.");
        Line($"- **Load**: `wrk -t1 -cN -d{run.Seconds}s --latency --timeout 10s` with a Chrome User-Agent and `-s bench/wrk/scenario.lua` (counts answers by status; feeds the CPC tokens; the same script on both apps, so both pay the same client cost). Every scenario had a {run.Warmup} s wrk warm-up on both apps first (not the CPC one: a token is good once). All load goes to 127.0.0.1. One wrk thread: wrk takes a share of the 2 cores either way, and the same share from both apps.");
        Line($"- **Bare app**: `TaobaoAlliance.Bench bare` — minimal API on Kestrel, logging off: `/c/{{code}}` and `/z/click/{{token}}` answer 302 to /item/38 with the visitor cookie `alliance_vid` (HttpOnly, SameSite=Lax, one year); `/html/{{bytes}}` a static HTML page of exactly the size of the real page it stands for (sizes read from the app at the start); `/health` \"Healthy\".");
        if (run.Notes.Length > 0) Line($"- **Set for the run**: {run.Notes}");
        md.AppendLine();

        Line($"## Results (64 connections unless said)");
        md.AppendLine();
        Line($"| Path | Conn. | app req/s | bare req/s | **ratio** | app p50 ms | app p99 ms | bare p50 ms | bare p99 ms | not the expected status | goal (issue 11) |");
        Line($"|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        foreach (var m in run.Results)
        {
            var (a, b) = (m.App, m.Bare);
            Line($"| {m.Scenario.Name} | {m.Scenario.Connections} | {a.RequestsPerSecond:0} | {b.RequestsPerSecond:0} | **{m.Ratio:0.000}** | {a.P50Ms:0.00} | {a.P99Ms:0.00} | {b.P50Ms:0.00} | {b.P99Ms:0.00} | {a.Unexpected(m.Scenario.Expected)}{(a.RanOut ? " (ran out of tokens: req/s is a lower bound, and /health answers are in its latencies)" : "")} | {m.Scenario.Goal} |");
        }
        md.AppendLine();
        Line($"\"not the expected status\" counts the app's answers other than the path's 302 or 200, plus socket errors and timeouts. Tokens collected from the smart-zone run for the CPC run: {run.TokensCollected}.");
        md.AppendLine();

        Line($"### Every 302 has its click row");
        md.AppendLine();
        Line($"Rows in `clicks` counted with SQL just before the app's wrk run and 1 s after it; 302s are those wrk read. wrk stops with at most one request per connection in flight, whose row may be committed after wrk gave up on the answer: so **lost** = max(0, 302s − rows) must be 0, and rows − 302s is at most the connection count. WAL flushes are the growth of `pg_stat_wal.wal_sync` over the same span (the whole cluster's).");
        md.AppendLine();
        Line($"| Path | Conn. | 302s | click rows added | valid | invalid | **lost** | rows − 302s | WAL flushes | rows per flush |");
        Line($"|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var m in run.Results.Where(r => r.Clicks is not null))
        {
            var c = m.Clicks!;
            Line($"| {m.Scenario.Name} | {m.Scenario.Connections} | {c.Redirects} | {c.RowsAdded} | {c.ValidAdded} | {c.InvalidAdded} | **{c.Lost}** | {c.Extra} | {c.WalSyncs} | {c.RowsPerSync:0.0} |");
        }
        md.AppendLine();
        foreach (var m in run.Results.Where(r => r.Charges is { Count: > 0 }))
        {
            Line($"- {m.Scenario.Name}: `cpc_charges` added — {string.Join(", ", m.Charges!.Select(o => string.Create(Inv, $"campaign {o.CampaignId} {o.Outcome} {o.Count} (¥{o.Fen / 100.0:0.00})")))}. {ChargedPerSecond(m.Charges!, m.App.Seconds)}");
        }
        md.AppendLine();

        Line($"### Auction micro-benchmark: `Auction.Run` (bench/TaobaoAlliance.Bench/AuctionBenchmark.cs)");
        md.AppendLine();
        Line($"Stopwatch loop in the bench process: 0.5 s warm-up, then 5 repeats of ~200 ms each; the median repeat. Random bids 5–300 fen and click histories, fixed seed.");
        md.AppendLine();
        Line($"| Bidders | median µs/run | min µs | max µs | allocated/run |");
        Line($"|---:|---:|---:|---:|---:|");
        foreach (var t in run.Auction)
        {
            Line($"| {t.Bidders} | {t.MedianNs / 1000:0.00} | {t.MinNs / 1000:0.00} | {t.MaxNs / 1000:0.00} | {t.BytesPerRun / 1024:0.0} KiB |");
        }
        md.AppendLine();

        md.AppendLine(Limits).AppendLine();
        md.AppendLine(ResilienceHeading);
        md.AppendLine();
        Line($"Not measured in this run: bench/run.sh measures it after the scenarios above (the `resilience` command of the bench).");
        md.AppendLine();
        md.AppendLine(ClusterHeading);
        md.AppendLine();
        Line($"Not measured in this run: bench/run.sh measures it after the failures (the `cluster` command of the bench).");
        md.AppendLine();
        md.AppendLine(ScaleHeading);
        md.AppendLine();
        Line($"Not measured in this run: `./build.sh bench --scale` loads 10 million clicks (bench/generate.sql) after the scenarios above and times the signed-in report pages here.");
        md.AppendLine();
        AppendReproduce(md);
        return md.ToString();
    }

    /// <summary>Replaces the section of <paramref name="output"/> that starts with <paramref name="heading"/> (up to the next "## ") with <paramref name="section"/>.</summary>
    public static async Task ReplaceSectionAsync(string output, string heading, StringBuilder section)
    {
        var report = await File.ReadAllTextAsync(output);
        var start = report.IndexOf(heading, StringComparison.Ordinal);
        var end = start < 0 ? -1 : report.IndexOf("\n## ", start + heading.Length, StringComparison.Ordinal);
        if (start < 0 || end < 0) throw new InvalidOperationException($"{output} has no \"{heading}\" section to replace");
        await File.WriteAllTextAsync(output, report[..start] + section + report[(end + 1)..]);
        Console.WriteLine($"wrote the \"{heading[3..]}\" section of {output}");
    }

    /// <summary>Runs a bash command the run's script handed over (a restart, a kill, stopping nodes); throws if it fails.</summary>
    public static async Task ShellAsync(string command)
    {
        using var process = Process.Start(new ProcessStartInfo("bash", ["-c", command]))
            ?? throw new InvalidOperationException(command);
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"`{command}` exited with {process.ExitCode}");
    }

    public static void AppendReproduce(StringBuilder md)
    {
        md.AppendLine("""
            ## Reproduce

            ```
            ./build.sh bench                          # the scenarios above, 10 s each (about 3 minutes)
            ./build.sh bench --scale                  # and then 10 M generated clicks and the report pages
            ./build.sh bench --scale --clicks 100000  # the same at a small scale, to check the generator
            BENCH_SECONDS=3 BENCH_WARMUP=1 ./build.sh bench   # a short run to check the harness
            ```

            bench/run.sh installs wrk with apt-get when missing, builds the app and the bench (Release, warnings are
            errors), starts a throwaway PostgreSQL 15 cluster in /tmp (default durability), migrates it, starts the app
            (Development: demo data seeded; Serilog at Warning) and the bare app on free ports, raises the demo campaigns'
            budgets and the per-IP click limit (see "Set for the run"), runs `TaobaoAlliance.Bench suite`, and stops
            everything on exit. wrk's own output of every run is kept in the run's work folder (`wrk.log`, printed path).
            `dotnet bench/TaobaoAlliance.Bench/bin/Release/net10.0/TaobaoAlliance.Bench.dll auction` runs the
            micro-benchmark alone; `… bare --port 8080` starts the bare app alone.
            """);
    }

    private static string Setting(RunRecord run, string name) => run.Settings.TryGetValue(name, out var value) ? value : "?";

    private static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "?";
        }
    }

    private static string CpuModel()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            return line is null ? RuntimeInformation.ProcessArchitecture.ToString() : line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
        }
        catch (IOException)
        {
            return RuntimeInformation.ProcessArchitecture.ToString();
        }
    }

    private static double MemoryGiB()
    {
        try
        {
            var line = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
            return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], Inv) / 1024.0 / 1024.0;
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
