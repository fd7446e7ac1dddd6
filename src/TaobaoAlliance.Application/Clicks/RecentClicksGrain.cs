using Orleans;

namespace TaobaoAlliance.Application.Clicks;

/// <summary>
/// The cluster's count of recent clicks for one bucket of IP hashes (key: <see cref="BucketOf"/>), so every node asks
/// the same counter about the same shopper: the per-IP limit holds for the cluster, not per node.
/// </summary>
[Alias("TaobaoAlliance.IRecentClicksGrain")]
public interface IRecentClicksGrain : IGrainWithIntegerKey
{
    /// <summary>Buckets of IP hashes: a few activations, spread over the silos, each a small share of the traffic.</summary>
    const int Buckets = 64;

    /// <summary>The bucket of an IP hash: its last byte (RecentClicks keys on the first 16, so the two stay independent).</summary>
    static long BucketOf(byte[] ipHash) => ipHash[^1] % Buckets;

    [Alias("CountThenRecord")]
    Task<int> CountThenRecordAsync(IpClick click);
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

    public Task<int> CountThenRecordAsync(IpClick click)
    {
        ArgumentNullException.ThrowIfNull(click);
        return Task.FromResult(counts.CountThenRecord(click.SiteId, click.IpHash, click.At, click.Cap));
    }
}
