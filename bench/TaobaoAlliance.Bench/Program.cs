using System.Buffers.Binary;
using System.Buffers.Text;
using System.Globalization;
using System.Net;
using TaobaoAlliance.Bench;

// ./build.sh bench → bench/run.sh → this program, against the real app it started:
//   suite   --app URL --db CONNECTION --zone ID --out docs/performance.md [--warmup 3 --seconds 10 --budget-note TEXT]
//   auction (the micro-benchmark alone, printed)
var options = Options.Parse(args);
if (options.Command == "auction")
{
    foreach (var n in Suite.BidderCounts) Console.WriteLine(Report.Describe(AuctionBenchmark.Measure(n)));
    return 0;
}
if (options.Command != "suite")
{
    await Console.Error.WriteLineAsync("usage: TaobaoAlliance.Bench suite --app URL --db CONNECTION --zone ID --out FILE | auction");
    return 2;
}
return await Suite.RunAsync(options);

/// <summary>The command line: a command and --name value pairs.</summary>
internal sealed record Options(string Command, IReadOnlyDictionary<string, string> Values)
{
    public static Options Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 1; i + 1 < args.Length; i += 2) values[args[i].TrimStart('-')] = args[i + 1];
        return new Options(args.Length > 0 ? args[0] : "", values);
    }

    public string Required(string name) =>
        Values.TryGetValue(name, out var value) ? value : throw new ArgumentException($"--{name} is required");

    public string Get(string name, string fallback) => Values.TryGetValue(name, out var value) ? value : fallback;

    public double Seconds(string name, double fallback) => double.Parse(Get(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
}

/// <summary>The scenarios of one run, in order, with the database checks between them.</summary>
internal static class Suite
{
    public static readonly int[] BidderCounts = [5, 50, 500];
    private static readonly int[] Concurrencies = [1, 16, 64];
    private const string ShortLink = "/c/gF7kQ2xA";

    public static async Task<int> RunAsync(Options options)
    {
        var app = new Uri(options.Required("app"));
        var zone = long.Parse(options.Required("zone"), CultureInfo.InvariantCulture);
        var warmup = TimeSpan.FromSeconds(options.Seconds("warmup", 3));
        var duration = TimeSpan.FromSeconds(options.Seconds("seconds", 10));
        await using var db = new DatabaseProbe(options.Required("db"));
        var run = new RunRecord { StartedAt = DateTimeOffset.UtcNow, Zone = zone, BudgetNote = options.Get("budget-note", "") };
        var block = 8;
        Visitors NextBlock() => new(block += 8); // 127.16.x.x, 127.24.x.x, …: no address reused across scenarios

        foreach (var setting in new[] { "server_version", "fsync", "synchronous_commit", "full_page_writes", "wal_level", "shared_buffers", "max_connections", "track_wal_io_timing" })
        {
            run.Settings[setting] = await db.SettingAsync(setting);
        }

        Console.WriteLine("auction micro-benchmark");
        foreach (var n in BidderCounts)
        {
            var timing = AuctionBenchmark.Measure(n);
            run.Auction.Add(timing);
            Console.WriteLine("  " + Report.Describe(timing));
        }

        foreach (var c in Concurrencies)
        {
            run.Health.Add(await LoadAsync(app, new LoadSpec("GET /health", "/health", c, warmup, duration, HttpStatusCode.OK, () => "/health"), NextBlock()));
        }

        foreach (var c in Concurrencies)
        {
            var before = await db.ClicksAsync();
            var walBefore = await db.WalAsync();
            var result = await LoadAsync(app, new LoadSpec("Short-link click", ShortLink, c, warmup, duration, HttpStatusCode.Found, () => ShortLink), NextBlock());
            var walAfter = await db.WalAsync();
            var after = await db.ClicksAsync();
            run.Clicks.Add(result);
            run.ClickChecks.Add(new ClickCheck(result.Spec.Name, c, result.ExpectedTotal, before, after, walAfter.Syncs - walBefore.Syncs, walAfter.SyncMs - walBefore.SyncMs));
        }

        var walletLinesBefore = await db.WalletLinesAsync();
        run.WalletSums.Add(await db.WalletSumAsync());
        var servingWalBefore = await db.WalAsync();
        var serving = await LoadAsync(app, new LoadSpec("Smart-zone ad", $"/z/{zone}", 16, warmup, duration + TimeSpan.FromSeconds(2), HttpStatusCode.OK, () => $"/z/{zone}", CollectTokens: true), NextBlock());
        var servingWalAfter = await db.WalAsync();
        run.ServingWal = new WalCount(servingWalAfter.Syncs - servingWalBefore.Syncs, servingWalAfter.SyncMs - servingWalBefore.SyncMs);
        run.Serving.Add((serving, walletLinesBefore));

        // One campaign per CPC scenario: the one with more tokens at 16 workers, the other one at 1.
        var byCampaign = serving.Tokens.GroupBy(CampaignOf).OrderByDescending(g => g.Count()).Select(g => (Campaign: g.Key, Tokens: g.ToArray())).ToList();
        run.TokensByCampaign = byCampaign.ToDictionary(g => g.Campaign, g => g.Tokens.Length);
        var cpcPlan = byCampaign.Take(2).Select((g, i) => (g.Campaign, g.Tokens, Concurrency: i == 0 ? 16 : 1)).ToList();
        foreach (var (campaign, tokens, c) in cpcPlan)
        {
            var next = -1;
            string? NextToken()
            {
                var i = Interlocked.Increment(ref next);
                return i < tokens.Length ? "/z/click/" + tokens[i] : null;
            }
            var before = await db.ClicksAsync();
            var chargesBefore = await db.ChargesAsync();
            var walBefore = await db.WalAsync();
            var result = await LoadAsync(app, new LoadSpec($"CPC click (campaign {campaign})", "/z/click/{token}", c, warmup, duration, HttpStatusCode.Found, NextToken), NextBlock());
            var walAfter = await db.WalAsync();
            var after = await db.ClicksAsync();
            run.Cpc.Add(result);
            run.ClickChecks.Add(new ClickCheck(result.Spec.Name, c, result.ExpectedTotal, before, after, walAfter.Syncs - walBefore.Syncs, walAfter.SyncMs - walBefore.SyncMs));
            run.ChargeChecks.Add(new ChargeCheck(result.Spec.Name, campaign, Diff(chargesBefore, await db.ChargesAsync(), campaign)));
        }

        // The same serving again, now that the CPC clicks have added journal lines to the sellers' wallets.
        var walletLinesAfter = await db.WalletLinesAsync();
        run.WalletSums.Add(await db.WalletSumAsync());
        var servingAgain = await LoadAsync(app, new LoadSpec("Smart-zone ad, after the CPC clicks", $"/z/{zone}", 16, warmup, duration, HttpStatusCode.OK, () => $"/z/{zone}"), NextBlock());
        run.Serving.Add((servingAgain, walletLinesAfter));

        run.FinishedAt = DateTimeOffset.UtcNow;
        var output = options.Required("out");
        await File.WriteAllTextAsync(output, Report.Markdown(run, options.Get("command", "./build.sh bench")));
        Console.WriteLine($"wrote {output}");
        var lost = run.ClickChecks.Sum(c => c.Lost);
        Console.WriteLine(lost == 0 ? "click rows: every 302 has its row (nothing lost)" : $"click rows: {lost} redirects without a row");
        return lost == 0 ? 0 : 1;
    }

    private static async Task<LoadResult> LoadAsync(Uri app, LoadSpec spec, Visitors visitors)
    {
        Console.Write($"{spec.Name,-46} c={spec.Concurrency,-3} ");
        var result = await LoadGenerator.RunAsync(app, spec, visitors);
        Console.WriteLine(Report.Describe(result));
        return result;
    }

    /// <summary>The campaign id inside a click token (bytes 1–8 of the signed payload); the bench reads it, never trusts it.</summary>
    private static long CampaignOf(string token)
    {
        var bytes = Base64Url.DecodeFromChars(token);
        return BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(1, 8));
    }

    private static List<ChargeCount> Diff(IReadOnlyList<ChargeCount> before, IReadOnlyList<ChargeCount> after, long campaign) =>
        after.Where(a => a.CampaignId == campaign)
            .Select(a =>
            {
                var b = before.FirstOrDefault(x => x.CampaignId == a.CampaignId && x.Outcome == a.Outcome);
                return a with { Count = a.Count - (b?.Count ?? 0), Fen = a.Fen - (b?.Fen ?? 0) };
            })
            .Where(a => a.Count > 0)
            .ToList();
}

/// <summary>Redirects answered against click rows added: <see cref="Lost"/> must be 0.</summary>
internal sealed record ClickCheck(string Scenario, int Concurrency, long Redirects, ClickCount Before, ClickCount After, long WalSyncs, double WalSyncMs)
{
    /// <summary>Click rows per WAL flush: above 1 means commits shared flushes (group commit).</summary>
    public double RowsPerSync => WalSyncs == 0 ? 0 : RowsAdded / (double)WalSyncs;
    public double MsPerSync => WalSyncs == 0 ? 0 : WalSyncMs / WalSyncs;

    public long RowsAdded => After.Total - Before.Total;
    public long ValidAdded => After.Valid - Before.Valid;
    public long InvalidAdded => After.Invalid - Before.Invalid;
    public long Lost => Math.Max(0, Redirects - RowsAdded);
}

/// <summary>What the CPC clicks of one scenario charged, by outcome.</summary>
internal sealed record ChargeCheck(string Scenario, long CampaignId, IReadOnlyList<ChargeCount> Outcomes);

/// <summary>Everything one run measured, for the report.</summary>
internal sealed class RunRecord
{
    public DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset FinishedAt { get; set; }
    public long Zone { get; init; }
    public string BudgetNote { get; init; } = "";
    public Dictionary<string, string> Settings { get; } = new(StringComparer.Ordinal);
    public List<AuctionTiming> Auction { get; } = [];
    public List<LoadResult> Health { get; } = [];
    public List<LoadResult> Clicks { get; } = [];
    public List<(LoadResult Result, long WalletLines)> Serving { get; } = [];
    public List<LoadResult> Cpc { get; } = [];
    public Dictionary<long, int> TokensByCampaign { get; set; } = [];
    public List<ClickCheck> ClickChecks { get; } = [];
    public List<ChargeCheck> ChargeChecks { get; } = [];
    public List<WalletSum> WalletSums { get; } = [];
    public WalCount? ServingWal { get; set; }

    public LoadResult? HealthAt(int concurrency) => Health.FirstOrDefault(h => h.Spec.Concurrency == concurrency);
}
