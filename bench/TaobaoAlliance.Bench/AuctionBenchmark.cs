using System.Diagnostics;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Attribution.Cpc;

namespace TaobaoAlliance.Bench;

/// <summary>Time and allocation of one <see cref="Auction.Run"/> with a given number of bidders (median of the repeats).</summary>
internal sealed record AuctionTiming(int Bidders, double MedianNs, double MinNs, double MaxNs, double BytesPerRun, long RunsPerRepeat);

/// <summary>
/// A Stopwatch micro-benchmark of the smart-zone auction: a warm-up (so tiered JIT reaches its optimised
/// code), then 5 timed repeats of a fixed number of runs, each repeat about 200 ms; the median repeat is
/// the answer. BenchmarkDotNet is served by the registry, but its generated project would be built under
/// this repository's Directory.Build.props (warnings as errors) inside the 5-minute budget of the run; a
/// plain loop with the same warm-up-then-repeat discipline answers the question (does the auction matter
/// next to a database round trip?) with no such risk.
/// </summary>
internal static class AuctionBenchmark
{
    private const int Repeats = 5;

    public static AuctionTiming Measure(int bidderCount)
    {
        // Fixed seeds: the same bidders every run, so runs are comparable.
        var data = new Random(20261125);
        var bidders = Enumerable.Range(1, bidderCount)
            .Select(i => new Bidder(i, new Money(data.Next(5, 300)), data.Next(0, 50_000), data.Next(0, 500)))
            .ToArray();
        var reserve = new Money(5);
        var prior = new QualityPrior(1, 100);
        var random = new Random(7);
        var sink = 0L;

        // Warm-up for half a second, which also sizes a repeat at about 200 ms.
        var runs = 0L;
        var warm = Stopwatch.StartNew();
        while (warm.ElapsedMilliseconds < 500)
        {
            sink += Auction.Run(bidders, reserve, prior, random)!.Price.Fen;
            runs++;
        }
        var perRepeat = Math.Max(1, runs * 200 / Math.Max(1, warm.ElapsedMilliseconds));

        var times = new double[Repeats];
        var bytes = new double[Repeats];
        for (var r = 0; r < Repeats; r++)
        {
            var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
            var started = Stopwatch.GetTimestamp();
            for (var i = 0L; i < perRepeat; i++) sink += Auction.Run(bidders, reserve, prior, random)!.Price.Fen;
            var elapsed = Stopwatch.GetTimestamp() - started;
            times[r] = elapsed * 1e9 / Stopwatch.Frequency / perRepeat;
            bytes[r] = (GC.GetAllocatedBytesForCurrentThread() - allocatedBefore) / (double)perRepeat;
        }
        GC.KeepAlive(sink);
        Array.Sort(times);
        Array.Sort(bytes);
        return new AuctionTiming(bidderCount, times[Repeats / 2], times[0], times[^1], bytes[Repeats / 2], perRepeat);
    }
}
