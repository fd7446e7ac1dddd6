using Orleans;

namespace TaobaoAlliance.Application.Clicks;

/// <summary>
/// The cluster's count of recent clicks for one bucket of IP hashes (key: <see cref="BucketOf"/>), so every node asks
/// the same counter about the same shopper: the per-IP limit holds for the cluster, not per node.
/// </summary>
[Alias("TaobaoAlliance.IRecentClicksGrain")]
public interface IRecentClicksGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// Buckets of IP hashes: a few activations spread over the silos. Few, so that a node's calls to one bucket, grouped
    /// while one is out (ClusterRecentClicks), carry many clicks each; each bucket's count is a dictionary lookup a click.
    /// </summary>
    const int Buckets = 8;

    /// <summary>The bucket of an IP hash: its last byte (RecentClicks keys on the first 16, so the two stay independent).</summary>
    static long BucketOf(byte[] ipHash) => ipHash[^1] % Buckets;

    /// <summary>Counts then records each click in order, as <see cref="IRecentClicks.CountThenRecordAsync"/> does for one.</summary>
    [Alias("CountThenRecordMany")]
    Task<int[]> CountThenRecordManyAsync(IpClick[] clicks);
}

/// <summary>One click as the limit counts it; the time is the calling node's clock.</summary>
[GenerateSerializer, Immutable, Alias("TaobaoAlliance.IpClick")]
public sealed record IpClick(
    [property: Id(0)] long SiteId,
    [property: Id(1)] byte[] IpHash,
    [property: Id(2)] DateTimeOffset At,
    [property: Id(3)] int Cap);

/// <summary>
/// Keeps its bucket's counts in memory only: they matter for one minute, so losing them with a silo costs at most
/// one minute of the limit for the shoppers of this bucket, never a click.
/// </summary>
public sealed class RecentClicksGrain : Grain, IRecentClicksGrain
{
    private readonly RecentClicks counts = new();

    public Task<int[]> CountThenRecordManyAsync(IpClick[] clicks)
    {
        ArgumentNullException.ThrowIfNull(clicks);
        return Task.FromResult(Array.ConvertAll(clicks, c => counts.CountThenRecord(c.SiteId, c.IpHash, c.At, c.Cap)));
    }
}
