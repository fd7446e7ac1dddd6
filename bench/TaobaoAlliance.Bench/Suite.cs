using System.Globalization;

namespace TaobaoAlliance.Bench;

/// <summary>One path measured on the real app and on the bare app, with the goal issue 11 sets for it.</summary>
internal sealed record Scenario(string Name, string Path, string BarePath, int Expected, int Connections, string Goal);

/// <summary>A scenario's two wrk runs, side by side, and what the database saw during the app's run.</summary>
internal sealed record Measured(Scenario Scenario, WrkResult Bare, WrkResult App, ClickCheck? Clicks = null, IReadOnlyList<ChargeCount>? Charges = null)
{
    public double Ratio => Bare.RequestsPerSecond > 0 ? App.RequestsPerSecond / Bare.RequestsPerSecond : 0;
}

/// <summary>
/// The scenarios of one run, in order. Each is measured with wrk on the bare app and then, right after,
/// on the real app (same script, connections and duration), so the ratio compares two runs a few seconds
/// apart on a machine whose load drifts.
/// </summary>
internal static class Suite
{
    public static readonly int[] BidderCounts = [5, 50, 500];
    private const string ShortLink = "/c/gF7kQ2xA";
    private const string OtherSiteLink = "/c/mP4hW6yD";
    private const string ItemPage = "/item/38";

    /// <summary>¥10,000,000 more in each demo wallet: far more than any run's paid clicks spend.</summary>
    public const long WalletTopUpFen = 1_000_000_000;

    public static async Task<int> RunAsync(Options options)
    {
        var app = options.Required("app").TrimEnd('/');
        var bare = options.Required("bare").TrimEnd('/');
        var zone = long.Parse(options.Required("zone"), CultureInfo.InvariantCulture);
        var script = options.Required("script");
        var seconds = options.Number("seconds", 10);
        var warmup = options.Number("warmup", 3);
        var work = options.Get("work", Path.GetTempPath());
        await using var db = new DatabaseProbe(options.Required("db"));
        await using var log = File.CreateText(Path.Combine(work, "wrk.log"));
        var run = new RunRecord { StartedAt = DateTimeOffset.UtcNow, Seconds = seconds, Warmup = warmup, Notes = options.Get("notes", "") };
        foreach (var setting in DatabaseProbe.ReportedSettings) run.Settings[setting] = await db.SettingAsync(setting);

        Console.WriteLine("auction micro-benchmark");
        foreach (var n in BidderCounts)
        {
            run.Auction.Add(AuctionBenchmark.Measure(n));
            Console.WriteLine("  " + Report.Describe(run.Auction[^1]));
        }

        // The bare pages are as long as the real ones, so both send the same bytes.
        using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false });
        async Task<string> SameSizeAsync(string path) => $"/html/{(await http.GetByteArrayAsync(app + path)).Length}";
        var home = await SameSizeAsync("/");
        var item = await SameSizeAsync(ItemPage);
        var ad = await SameSizeAsync($"/z/{zone}");

        async Task<WrkResult> LoadAsync(string baseUrl, string path, int connections, double duration, params string[] scriptArgs)
        {
            var result = await Wrk.RunAsync(new WrkSpec(baseUrl + path, connections, duration, scriptArgs, []), script, log);
            Console.WriteLine($"  {baseUrl + path,-48} c={connections,-3} {Report.Describe(result)}");
            return result;
        }

        // Warm both: JIT tiering, connection pools and caches settle before anything is measured.
        Console.WriteLine("warm-up");
        foreach (var path in new[] { "/health", ShortLink, home }) await LoadAsync(bare, path, 64, warmup);
        // The click path warms up on webmaster2's link: the per-IP limit counts per site, and all of wrk is one IP,
        // so the CPC clicks (zone 3 is on webmaster1's site, as is the measured link) keep the minute's budget.
        foreach (var path in new[] { "/health", OtherSiteLink, "/", ItemPage }) await LoadAsync(app, path, 64, warmup);

        async Task<Measured> CompareAsync(Scenario s, params string[] scriptArgs)
        {
            Console.WriteLine(s.Name);
            var b = await LoadAsync(bare, s.BarePath, s.Connections, seconds, scriptArgs);
            var a = await LoadAsync(app, s.Path, s.Connections, seconds, scriptArgs);
            return new Measured(s, b, a);
        }

        // bareResult: a bare run to compare with instead of a new one (the CPC tokens are for the app only).
        async Task<Measured> ClicksAsync(Scenario s, WrkResult? bareResult, params string[] scriptArgs)
        {
            Console.WriteLine(s.Name);
            var b = bareResult ?? await LoadAsync(bare, s.BarePath, s.Connections, seconds, scriptArgs);
            var before = await db.ClicksAsync();
            var walBefore = await db.WalAsync();
            var a = await LoadAsync(app, s.Path, s.Connections, seconds, scriptArgs);
            // wrk stops with requests in flight: give their commits a moment, then count.
            await Task.Delay(TimeSpan.FromSeconds(1));
            var after = await db.ClicksAsync();
            var walAfter = await db.WalAsync();
            var check = new ClickCheck(a.Status(302), after.Total - before.Total, after.Valid - before.Valid,
                walAfter.Syncs - walBefore.Syncs, walAfter.SyncMs - walBefore.SyncMs);
            Console.WriteLine($"  302s {check.Redirects}, click rows added {check.RowsAdded} (valid {check.ValidAdded}): lost {check.Lost}, rows beyond 302s {check.Extra}");
            return new Measured(s, b, a, check);
        }

        run.Results.Add(await CompareAsync(new Scenario("Health", "/health", "/health", 200, 64, "–")));

        // The ads served here hand their click tokens to the CPC scenario (each token is good for one paid
        // click). The bare app's pages carry no token, so the script's search costs both sides alike.
        var ads = Path.Combine(work, "ads.txt");
        File.Delete(ads);
        await LoadAsync(app, $"/z/{zone}", 64, warmup, "tokens=" + ads);
        run.Results.Add(await CompareAsync(new Scenario($"Smart-zone ad /z/{zone}", $"/z/{zone}", ad, 200, 64, "≥ 0.25, p99 ≤ 20 ms"), "tokens=" + ads));
        var paths = Path.Combine(work, "cpc-paths.txt");
        await File.WriteAllLinesAsync(paths, File.ReadLines(ads).Select(t => "/z/click/" + t));
        run.TokensCollected = File.ReadLines(paths).LongCount();

        // Compared with the bare redirect: the same 302 + cookie (a bare run with the tokens would only reach /health).
        // Before the short-link clicks, which spend the minute's per-IP budget on the same site.
        var bareRedirect = await LoadAsync(bare, ShortLink, 64, seconds);
        await db.TopUpWalletsAsync(WalletTopUpFen);
        var chargesBefore = await db.ChargesAsync();
        var cpc = await ClicksAsync(new Scenario("CPC paid click /z/click/{token} (vs the bare redirect)", "/", "/c/…", 302, 64, "≥ 5,000 charged/s on one campaign (issue 12)"),
            bareRedirect, "paths=" + paths, "clients=1");
        run.Results.Add(cpc with { Charges = ChargeCount.Added(chargesBefore, await db.ChargesAsync()) });

        run.Results.Add(await ClicksAsync(new Scenario("Click redirect, 1 connection", ShortLink, ShortLink, 302, 1, "–"), null));
        run.Results.Add(await ClicksAsync(new Scenario("Click redirect", ShortLink, ShortLink, 302, 64, "≥ 0.40, p99 ≤ 15 ms, lost 0"), null, "clients=1"));

        run.Results.Add(await CompareAsync(new Scenario("Storefront home /", "/", home, 200, 64, "≥ 0.30")));
        run.Results.Add(await CompareAsync(new Scenario($"Item page {ItemPage}", ItemPage, item, 200, 64, "≥ 0.30")));

        run.FinishedAt = DateTimeOffset.UtcNow;
        var output = options.Required("out");
        await File.WriteAllTextAsync(output, Report.Markdown(run));
        Console.WriteLine($"wrote {output}");
        var lost = run.Results.Sum(r => r.Clicks?.Lost ?? 0);
        Console.WriteLine(lost == 0 ? "lost: 0 (every 302 has its click row)" : $"lost: {lost} redirects without a click row");
        return lost == 0 ? 0 : 1;
    }
}

/// <summary>
/// 302s wrk saw against click rows added. wrk stops with up to one request per connection in flight: the
/// app may have committed a row whose 302 wrk never read (<see cref="Extra"/>), never the other way round.
/// </summary>
internal sealed record ClickCheck(long Redirects, long RowsAdded, long ValidAdded, long WalSyncs, double WalSyncMs)
{
    public long Lost => Math.Max(0, Redirects - RowsAdded);
    public long Extra => RowsAdded - Redirects;
    public long InvalidAdded => RowsAdded - ValidAdded;
    public double RowsPerSync => WalSyncs == 0 ? 0 : RowsAdded / (double)WalSyncs;
}

/// <summary>Everything one run measured, for the report.</summary>
internal sealed class RunRecord
{
    public DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset FinishedAt { get; set; }
    public double Seconds { get; init; }
    public double Warmup { get; init; }
    public string Notes { get; init; } = "";
    public long TokensCollected { get; set; }
    public Dictionary<string, string> Settings { get; } = new(StringComparer.Ordinal);
    public List<AuctionTiming> Auction { get; } = [];
    public List<Measured> Results { get; } = [];
}
