using System.Globalization;
using TaobaoAlliance.Bench;

// ./build.sh bench → bench/run.sh → this program:
//   bare    --port P                        the reference app (no database) every scenario is compared with
//   suite   --app URL --bare URL --db CONNECTION --zone ID --script bench/wrk/scenario.lua --out docs/performance.md
//           [--seconds 10 --warmup 3 --work DIR --notes TEXT]     wrk scenarios, click-row checks, auction
//   resilience --app URL --db CONNECTION --zone ID --script … --out docs/performance.md --restart-db CMD --kill-app CMD
//           --start-app CMD [--seconds 10 --work DIR]   the ad by wallet history; click load through a database restart and a kill -9
//   cluster --front URL --db CONNECTION --zone ID --script … --out docs/performance.md --shrink CMD [--nodes 3 --seconds 10]
//           N nodes behind HAProxy, then one (CMD stops the others): click redirect and paid clicks, as ratios
//   scale   --app URL --db CONNECTION --out docs/performance.md --script … [--seconds 10 --generated TEXT]
//           signed-in report pages on generated data (./build.sh bench --scale)
//   auction                                 the micro-benchmark alone, printed
var options = Options.Parse(args);
switch (options.Command)
{
    case "bare":
        return await BareApp.RunAsync(int.Parse(options.Required("port"), CultureInfo.InvariantCulture));
    case "suite":
        return await Suite.RunAsync(options);
    case "resilience":
        return await Resilience.RunAsync(options);
    case "cluster":
        return await ClusterRun.RunAsync(options);
    case "scale":
        return await ScaleReport.RunAsync(options);
    case "auction":
        foreach (var n in Suite.BidderCounts) Console.WriteLine(Report.Describe(AuctionBenchmark.Measure(n)));
        return 0;
    default:
        await Console.Error.WriteLineAsync("usage: TaobaoAlliance.Bench bare --port P | suite … | resilience … | scale … | auction (see bench/run.sh)");
        return 2;
}

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

    public double Number(string name, double fallback) =>
        double.Parse(Get(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
}
