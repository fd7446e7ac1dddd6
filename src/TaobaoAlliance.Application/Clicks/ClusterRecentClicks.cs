using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans;
using TaobaoAlliance.Application.Cluster;

namespace TaobaoAlliance.Application.Clicks;

/// <summary>
/// The per-IP click limit for the whole cluster: each click asks the <see cref="RecentClicksGrain"/> of its IP hash's
/// bucket, one activation in the cluster, so a shopper spread over N nodes still gets the limit, not N times it. A
/// click waits for a grain call (a network round trip when the bucket lives on another node), which is why a single
/// node keeps its plain in-memory <see cref="RecentClicks"/> instead; the clicks that arrive while this node's call to
/// a bucket is out go together in its next call, so under load a message carries many clicks.
/// </summary>
public sealed class ClusterRecentClicks : IRecentClicks
{
    private readonly RecentClicks local;
    private readonly IOptions<ClickOptions> options;
    private readonly ILogger<ClusterRecentClicks> logger;
    private readonly CallCoalescer<long, IpClick, int> calls;

    public ClusterRecentClicks(IGrainFactory grains, RecentClicks local, IOptions<ClickOptions> options, ILogger<ClusterRecentClicks> logger)
    {
        (this.local, this.options, this.logger) = (local, options, logger);
        // One call out per bucket: the grain answers from memory, so a second would only queue behind the first there.
        calls = new(async (bucket, clicks) => await grains.GetGrain<IRecentClicksGrain>(bucket).CountThenRecordManyAsync(clicks), maxOutstanding: 1);
    }

    // 1 while the cluster's count does not answer: a dead silo fails every click of its buckets, which must not be a
    // log line each.
    private int unanswered;

    public async ValueTask<int> CountThenRecordAsync(long siteId, byte[] ipHash, DateTimeOffset at, int cap)
    {
        ArgumentNullException.ThrowIfNull(ipHash);
        // This node counts every click too, so that when the cluster's count cannot be had the limit still holds per
        // node (at worst N times the limit over N nodes) with this node's whole last minute behind it. Neither
        // alternative is better: no limit at all would let a burst through, and calling the click invalid would cost
        // the webmaster a real shopper's click for our outage. Either way the shopper is answered.
        var onThisNode = local.CountThenRecord(siteId, ipHash, at, cap);
        int inTheCluster;
        try
        {
            // The deadline is on the real clock on purpose: a shopper's wait is real time, whatever the app's clock says.
            inTheCluster = await calls.CallAsync(IRecentClicksGrain.BucketOf(ipHash), new IpClick(siteId, ipHash, at, cap))
                .WaitAsync(options.Value.ClusterCountTimeout);
        }
#pragma warning disable CA1031 // Unreachable silo, timeout or anything else: the click is counted on this node (above).
        catch (Exception e)
#pragma warning restore CA1031
        {
            if (Interlocked.Exchange(ref unanswered, 1) == 0)
            {
                logger.LogWarning(e, "The cluster's count of recent clicks did not answer; clicks are counted on this node until it does");
            }
            return onThisNode;
        }
        if (Volatile.Read(ref unanswered) == 1 && Interlocked.Exchange(ref unanswered, 0) == 1)
        {
            logger.LogInformation("The cluster's count of recent clicks answers again");
        }
        return inTheCluster;
    }
}

/// <summary>Registers the cluster-wide per-IP limit (called by the hosting when the app runs as one node of a cluster).</summary>
public static class ClusterClickLimit
{
    public static IServiceCollection AddClusterWideClickLimit(this IServiceCollection services)
    {
        services.TryAddSingleton<RecentClicks>();
        services.Replace(ServiceDescriptor.Singleton<IRecentClicks, ClusterRecentClicks>());
        return services;
    }
}
