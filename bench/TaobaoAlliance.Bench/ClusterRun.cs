using System.Globalization;
using System.Text;

namespace TaobaoAlliance.Bench;

/// <summary>
/// After the single-node scenarios: N nodes (each with its Orleans silo) behind HAProxy, then — the extra nodes stopped —
/// one node behind the same HAProxy, on the same cores. Both click paths go through the balancer as many shoppers
/// (X-Forwarded-For per request): the click redirect, and the CPC paid click, whose campaigns' grains decide every
/// charge wherever the click arrives. Replaces the "Several nodes" section of the report.
/// </summary>
internal static class ClusterRun
{
    private const string ShortLink = "/c/gF7kQ2xA";

    private sealed record NodesRun(int Nodes, WrkResult Clicks, long ClickRows, WrkResult Paid, long PaidRows, IReadOnlyList<ChargeCount> Charges, long Tokens)
    {
        public long Lost => Math.Max(0, Clicks.Status(302) - ClickRows) + Math.Max(0, Paid.Status(302) - PaidRows);
        public long Charged => Charges.Where(c => c.Outcome == "Charged").Sum(c => c.Count);
    }

    public static async Task<int> RunAsync(Options options)
    {
        var front = options.Required("front").TrimEnd('/');
        var zone = options.Required("zone");
        var script = options.Required("script");
        var nodes = (int)options.Number("nodes", 3);
        var seconds = options.Number("seconds", 10);
        var warmup = options.Number("warmup", 3);
        var work = options.Get("work", Path.GetTempPath());
        await using var db = new DatabaseProbe(options.Required("db"));
        await using var log = File.CreateText(Path.Combine(work, "wrk-cluster.log"));

        async Task<WrkResult> LoadAsync(string path, double duration, params string[] args)
        {
            var result = await Wrk.RunAsync(new WrkSpec(front + path, 64, duration, args, []), script, log);
            Console.WriteLine($"  {front + path,-40} {Report.Describe(result)}");
            return result;
        }

        async Task<NodesRun> MeasureAsync(int count)
        {
            Console.WriteLine($"{count} node(s) behind HAProxy");
            // Nodes just started (or just left alone) are cold: warm each path until it answers at full speed.
            var warm = Math.Max(warmup, 3);
            await LoadAsync("/health", warm);
            await LoadAsync(ShortLink, warm, "clients=1");
            await LoadAsync(ShortLink, warm, "clients=1");
            var ads = Path.Combine(work, $"ads-{count}.txt");
            File.Delete(ads);
            // Serving the ads warms every node's ad state and collects the tokens of the paid clicks that follow.
            for (var attempt = 0; attempt < 3 && (!File.Exists(ads) || File.ReadLines(ads).Take(1000).Count() < 1000); attempt++)
            {
                await LoadAsync($"/z/{zone}", warm, "tokens=" + ads);
            }
            var paths = Path.Combine(work, $"cpc-paths-{count}.txt");
            await File.WriteAllLinesAsync(paths, File.ReadLines(ads).Select(t => "/z/click/" + t));

            var before = await db.ClicksAsync();
            var clicks = await LoadAsync(ShortLink, seconds, "clients=1");
            await Task.Delay(TimeSpan.FromSeconds(1));
            var middle = await db.ClicksAsync();
            await db.TopUpWalletsAsync(Suite.WalletTopUpFen);
            var chargesBefore = await db.ChargesAsync();
            var paid = await LoadAsync("/", seconds, "paths=" + paths, "clients=1");
            await Task.Delay(TimeSpan.FromSeconds(1));
            var after = await db.ClicksAsync();
            var charges = ChargeCount.Added(chargesBefore, await db.ChargesAsync());
            Console.WriteLine("  " + Report.ChargedPerSecond(charges, paid.Seconds));
            return new NodesRun(count, clicks, middle.Total - before.Total, paid, after.Total - middle.Total, charges, File.ReadLines(paths).LongCount());
        }

        var many = await MeasureAsync(nodes);
        Console.WriteLine("stopping the extra nodes");
        await Report.ShellAsync(options.Required("shrink"));
        // HAProxy marks a stopped node down after two failed checks a second apart; the silos left the cluster as they stopped.
        await Task.Delay(TimeSpan.FromSeconds(4));
        var one = await MeasureAsync(1);

        var md = new StringBuilder();
        void Line(FormattableString text) => md.AppendLine(text.ToString(CultureInfo.InvariantCulture));
        md.AppendLine(Report.ClusterHeading).AppendLine();
        Line($"`./build.sh cluster`'s layout on the bench's PostgreSQL: {nodes} web nodes, each with its co-hosted Orleans silo (membership in Redis), behind HAProxy (round robin, `option forwardfor`); then nodes 2–{nodes} stopped and the same measurements through the same HAProxy with one node. Both on this machine's 2 cores, so more nodes add no CPU: the ratio shows what coordination costs. Each path: `wrk -c64 -d{seconds}s` after warm-ups, every request a shopper of its own (`X-Forwarded-For`). The paid clicks redeem the tokens of ads served through HAProxy just before (each good once), on the demo's two campaigns, each campaign's clicks decided by its one grain wherever they arrive.");
        md.AppendLine();
        Line($"| Nodes | click redirect req/s | p99 ms | paid clicks req/s | p99 ms | charged/s (all campaigns) | charged/s by campaign | not 302 | **lost** |");
        Line($"|---:|---:|---:|---:|---:|---:|---|---:|---:|");
        foreach (var r in new[] { many, one })
        {
            var byCampaign = string.Join(", ", r.Charges.Where(c => c.Outcome == "Charged").Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.CampaignId}: {c.Count / r.Paid.Seconds:0}")));
            Line($"| {r.Nodes} | {r.Clicks.RequestsPerSecond:0} | {r.Clicks.P99Ms:0.0} | {r.Paid.RequestsPerSecond:0} | {r.Paid.P99Ms:0.0} | {r.Charged / r.Paid.Seconds:0} | {byCampaign} | {r.Clicks.Unexpected(302) + r.Paid.Unexpected(302)} | **{r.Lost}** |");
        }
        md.AppendLine();
        var clickRatio = one.Clicks.RequestsPerSecond > 0 ? many.Clicks.RequestsPerSecond / one.Clicks.RequestsPerSecond : 0;
        var paidRatio = one.Charged > 0 ? many.Charged / many.Paid.Seconds / (one.Charged / one.Paid.Seconds) : 0;
        Line($"**{nodes} nodes ÷ 1 node, same cores:** click redirect **{clickRatio:0.00}**, charged paid clicks **{paidRatio:0.00}** (goal ≥ 0.80). Tokens available: {many.Tokens} and {one.Tokens}; a run that used them all would show /health answers (200) in \"not 302\".");
        md.AppendLine();

        await Report.ReplaceSectionAsync(options.Required("out"), Report.ClusterHeading, md);
        var lost = many.Lost + one.Lost;
        Console.WriteLine(lost == 0 ? "lost: 0 on several nodes" : $"lost: {lost} acknowledged clicks without a row");
        return lost == 0 ? 0 : 1;
    }
}
