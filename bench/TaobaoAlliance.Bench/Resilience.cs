using System.Globalization;
using System.Text;

namespace TaobaoAlliance.Bench;

/// <summary>
/// After the suite: the smart-zone ad with 1 thousand and with 1 million lines in its sellers' wallets, then click
/// load through a PostgreSQL restart and through a kill -9 of the app; replaces the "Wallet history and failures"
/// section of the report. bench/run.sh passes the scripts that restart the database and start the app.
/// </summary>
internal static class Resilience
{
    private const string ShortLink = "/c/gF7kQ2xA";

    public static async Task<int> RunAsync(Options options)
    {
        var app = options.Required("app").TrimEnd('/');
        var zone = options.Required("zone");
        var script = options.Required("script");
        var seconds = options.Number("seconds", 10);
        var work = options.Get("work", Path.GetTempPath());
        await using var db = new DatabaseProbe(options.Required("db"));
        await using var log = File.CreateText(Path.Combine(work, "wrk-resilience.log"));
        var md = new StringBuilder();
        void Line(FormattableString text) => md.AppendLine(text.ToString(CultureInfo.InvariantCulture));

        Task<WrkResult> LoadAsync(string path, double duration) =>
            Wrk.RunAsync(new WrkSpec(app + path, 64, duration, [], []), script, log);

        // Wallet history: serving reads a kept balance, so the length of a wallet's statement must not matter.
        Console.WriteLine("smart-zone ad by wallet history");
        var adRuns = new List<(long Lines, WrkResult Result)>();
        foreach (var lines in new long[] { 1_000, 1_000_000 })
        {
            var added = await db.FillWalletsAsync(lines);
            await LoadAsync($"/z/{zone}", Math.Min(3, seconds)); // warm-up
            var result = await LoadAsync($"/z/{zone}", seconds);
            Console.WriteLine($"  {lines,9} lines per wallet (+{added}) {Report.Describe(result)}");
            adRuns.Add((lines, result));
        }

        md.AppendLine(Report.ResilienceHeading).AppendLine();
        Line($"**Smart-zone ad `/z/{zone}` by the length of its sellers' wallet statements.** The wallets of the sellers with an active campaign are filled with journal lines (+1 fen / −1 fen entries against the outside world, written with SQL, kept balances recomputed) up to the count shown, then `wrk -c64 -d{seconds}s` after a 3 s warm-up. Serving reads each wallet's kept balance (`ledger_accounts.balance_fen`), never its lines.");
        md.AppendLine();
        Line($"| Lines per wallet | req/s | p50 ms | p99 ms | not 200 |");
        Line($"|---:|---:|---:|---:|---:|");
        foreach (var (lines, r) in adRuns) Line($"| {lines:N0} | {r.RequestsPerSecond:0} | **{r.P50Ms:0.00}** | {r.P99Ms:0.00} | {r.Unexpected(200)} |");
        md.AppendLine();

        Console.WriteLine("click load through a PostgreSQL restart");
        var restart = await UnderLoadAsync(db, () => LoadAsync(ShortLink, seconds), options.Required("restart-db"), options.Get("after", ""), app);
        Console.WriteLine("click load through a kill -9 of the app, started again");
        var kill = await UnderLoadAsync(db, () => LoadAsync(ShortLink, seconds), options.Required("kill-app"), options.Required("start-app"), app);

        Line($"**Click load through failures.** `wrk -c64 -d{seconds}s` on `{ShortLink}`; 2 s in, the failure. Rows are counted once the app is healthy again and its click spool is empty (replayed). *Acknowledged* = 302s wrk read; *lost* = acknowledged clicks without a row, max(0, 302s − rows added); *refused* = answers other than 302 (an error page a shopper would see) and timeouts; *socket errors* = connections wrk could not open or that broke (while the app is down, after a kill: no answer was acknowledged).");
        md.AppendLine();
        Line($"| Failure | 302s | refused | socket errors | click rows added | **lost** |");
        Line($"|---|---:|---:|---:|---:|---:|");
        Line($"| PostgreSQL restart (`pg_ctl restart -m fast`) | {restart.Redirects} | {restart.Refused} | {restart.SocketErrors} | {restart.RowsAdded} | **{restart.Lost}** |");
        Line($"| kill -9 of the app, then started again | {kill.Redirects} | {kill.Refused} | {kill.SocketErrors} | {kill.RowsAdded} | **{kill.Lost}** |");
        md.AppendLine();

        await Report.ReplaceSectionAsync(options.Required("out"), Report.ResilienceHeading, md);
        var lost = restart.Lost + kill.Lost;
        Console.WriteLine(lost == 0 ? "lost: 0 through both failures" : $"lost: {lost} acknowledged clicks without a row");
        return lost == 0 && restart.Refused == 0 ? 0 : 1;
    }

    private sealed record FailureRun(long Redirects, long Refused, long SocketErrors, long RowsAdded)
    {
        public long Lost => Math.Max(0, Redirects - RowsAdded);
    }

    /// <summary>Runs the load, the failure 2 s in, then the recovery command (if any), and counts once the app is back and its spool replayed.</summary>
    private static async Task<FailureRun> UnderLoadAsync(DatabaseProbe db, Func<Task<WrkResult>> load, string failure, string recovery, string app)
    {
        var before = await db.ClicksAsync();
        var running = load();
        await Task.Delay(TimeSpan.FromSeconds(2));
        await Report.ShellAsync(failure);
        var result = await running;
        if (recovery.Length > 0) await Report.ShellAsync(recovery);
        await SettledAsync(app);
        db.ForgetConnections();
        await Task.Delay(TimeSpan.FromSeconds(1));
        var after = await db.ClicksAsync();
        Console.WriteLine($"  {Report.Describe(result)}; rows added {after.Total - before.Total}");
        return new FailureRun(result.Status(302), result.Requests - result.Status(302) + result.Timeouts, result.SocketErrors, after.Total - before.Total);
    }

    /// <summary>Waits until /health says Healthy: PostgreSQL reachable and the click spool replayed.</summary>
    private static async Task SettledAsync(string app)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        for (var i = 0; i < 240; i++)
        {
            try
            {
                if (await http.GetStringAsync(app + "/health") == "Healthy") return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // not up, or not answering, yet
            }
            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }
        throw new InvalidOperationException($"{app} did not become healthy again within 2 minutes");
    }
}
