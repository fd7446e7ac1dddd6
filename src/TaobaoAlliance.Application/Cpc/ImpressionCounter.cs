using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace TaobaoAlliance.Application.Cpc;

/// <summary>
/// The impressions this node has served and not yet written, per campaign. A view only adds one in memory
/// (an update of the campaign row per view made every view of a popular campaign wait on the same row lock);
/// <see cref="ImpressionFlusher"/> writes the counts in one statement at least once a second and at shutdown.
/// </summary>
public sealed class ImpressionCounter
{
    // One box per campaign ever shown, never removed: a box removed while a view still holds it would lose that
    // view's count, and the number of campaigns bounds the dictionary anyway.
    private readonly ConcurrentDictionary<long, StrongBox<long>> pending = new();

    public void Count(long campaignId) => Interlocked.Increment(ref pending.GetOrAdd(campaignId, _ => new StrongBox<long>()).Value);

    /// <summary>The impressions of <paramref name="campaignId"/> counted here and not yet written.</summary>
    public long Pending(long campaignId) => pending.TryGetValue(campaignId, out var box) ? Interlocked.Read(ref box.Value) : 0;

    /// <summary>Takes every pending count (leaving zero behind); views counted meanwhile stay for the next take.</summary>
    public IReadOnlyList<(long CampaignId, long Count)> Take()
    {
        var taken = new List<(long, long)>();
        foreach (var (campaignId, box) in pending)
        {
            var n = Interlocked.Exchange(ref box.Value, 0);
            if (n > 0) taken.Add((campaignId, n));
        }
        return taken;
    }

    /// <summary>Puts back counts whose write failed, so the next flush writes them.</summary>
    public void Return(IEnumerable<(long CampaignId, long Count)> counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        foreach (var (campaignId, n) in counts) Interlocked.Add(ref pending.GetOrAdd(campaignId, _ => new StrongBox<long>()).Value, n);
    }
}
