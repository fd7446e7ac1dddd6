namespace TaobaoAlliance.Application.Clicks;

/// <summary>
/// Counts the clicks each IP made on each site in the last minute, for the fraud rule "more than N clicks a minute
/// from one IP on one site" (ClickRules): this node's memory (<see cref="RecentClicks"/>), or the cluster's
/// (<see cref="ClusterRecentClicks"/>, registered when the app runs as one node of several).
/// </summary>
public interface IRecentClicks
{
    /// <summary>
    /// The clicks from this IP hash on this site in the minute before <paramref name="at"/>, then counts this
    /// one too. Counting stops at <paramref name="cap"/>: beyond it the answer is the same.
    /// </summary>
    ValueTask<int> CountThenRecordAsync(long siteId, byte[] ipHash, DateTimeOffset at, int cap);
}

/// <summary>
/// How many clicks each IP made on each site in the last minute, counted in memory. Every recorded click counts,
/// valid or not, as the rule has always counted rows. On its own, the count of one node (the default, one-node
/// app); in a cluster, <see cref="RecentClicksGrain"/> keeps one for a bucket of IP hashes for every node.
/// </summary>
public sealed class RecentClicks : IRecentClicks
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    /// <summary>Sweep stale keys after this many recorded clicks, so memory follows the traffic of the last minute.</summary>
    private const int SweepEvery = 10_000;

    // Keyed by the first 128 bits of the IP hash: unique enough, and no string to build per click.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(long SiteId, UInt128 IpHash), Recent> bySiteAndIp = new();
    private int recordedSinceSweep;

    public ValueTask<int> CountThenRecordAsync(long siteId, byte[] ipHash, DateTimeOffset at, int cap) =>
        ValueTask.FromResult(CountThenRecord(siteId, ipHash, at, cap));

    /// <inheritdoc cref="IRecentClicks.CountThenRecordAsync"/>
    public int CountThenRecord(long siteId, byte[] ipHash, DateTimeOffset at, int cap)
    {
        ArgumentNullException.ThrowIfNull(ipHash);
        var recent = bySiteAndIp.GetOrAdd((siteId, System.Buffers.Binary.BinaryPrimitives.ReadUInt128LittleEndian(ipHash)), _ => new Recent());
        int count;
        lock (recent)
        {
            count = recent.CountSince(at - Window);
            recent.Add(at, Math.Max(cap, 1));
        }
        if (Interlocked.Increment(ref recordedSinceSweep) >= SweepEvery)
        {
            Interlocked.Exchange(ref recordedSinceSweep, 0);
            Sweep(at);
        }
        return count;
    }

    private void Sweep(DateTimeOffset now)
    {
        foreach (var (key, recent) in bySiteAndIp)
        {
            bool stale;
            lock (recent) stale = recent.CountSince(now - Window) == 0;
            if (stale) bySiteAndIp.TryRemove(key, out _);
        }
    }

    /// <summary>The latest click times of one IP on one site, at most the cap (older ones cannot change a count that is capped).</summary>
    private sealed class Recent
    {
        private readonly Queue<DateTimeOffset> times = new();

        public int CountSince(DateTimeOffset since)
        {
            while (times.Count > 0 && times.Peek() <= since) times.Dequeue();
            return times.Count;
        }

        public void Add(DateTimeOffset at, int cap)
        {
            times.Enqueue(at);
            while (times.Count > cap) times.Dequeue();
        }
    }
}
