using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace TaobaoAlliance.Application.Cpc;

/// <summary>
/// The impressions this node has served and not yet written, per campaign. A view only adds one in memory
/// (an update of the campaign row per view made every view of a popular campaign wait on the same row lock);
/// <see cref="ImpressionFlusher"/> writes the counts in one statement at least once a second and at shutdown.
/// Views are also counted per China day and zone for the traffic economics rollup (cpc_day_zones).
/// </summary>
public sealed class ImpressionCounter
{
    // One box per campaign ever shown, never removed: a box removed while a view still holds it would lose that
    // view's count, and the number of campaigns bounds the dictionary anyway.
    private readonly ConcurrentDictionary<long, StrongBox<long>> pending = new();

    // The same views per campaign, zone and China day, for cpc_day_zones. A box two days older than the newest day seen
    // is removed once taken at zero (no view counts on it any more), so the dictionary holds about two days of pairs.
    private readonly ConcurrentDictionary<ZoneDay, StrongBox<long>> zoneDays = new();

    public void Count(long campaignId) => Interlocked.Increment(ref pending.GetOrAdd(campaignId, _ => new StrongBox<long>()).Value);

    /// <summary>Counts a view of <paramref name="campaignId"/> in <paramref name="zoneId"/> on China day <paramref name="day"/>.</summary>
    public void Count(long campaignId, long zoneId, DateOnly day)
    {
        Count(campaignId);
        Interlocked.Increment(ref zoneDays.GetOrAdd(new ZoneDay(campaignId, zoneId, day), _ => new StrongBox<long>()).Value);
    }

    /// <summary>Takes every pending per-zone count (leaving zero behind).</summary>
    public IReadOnlyList<(ZoneDay Key, long Count)> TakeZoneDays()
    {
        var taken = new List<(ZoneDay, long)>();
        var newest = DateOnly.MinValue;
        foreach (var key in zoneDays.Keys) if (key.Day > newest) newest = key.Day;
        foreach (var (key, box) in zoneDays)
        {
            var n = Interlocked.Exchange(ref box.Value, 0);
            if (n > 0) taken.Add((key, n));
            else if (key.Day < newest.AddDays(-1)) zoneDays.TryRemove(key, out _);
        }
        return taken;
    }

    /// <summary>Puts back per-zone counts whose write failed.</summary>
    public void ReturnZoneDays(IEnumerable<(ZoneDay Key, long Count)> counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        foreach (var (key, n) in counts) Interlocked.Add(ref zoneDays.GetOrAdd(key, _ => new StrongBox<long>()).Value, n);
    }

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

/// <summary>A campaign's views in one zone on one China day.</summary>
public readonly record struct ZoneDay(long CampaignId, long ZoneId, DateOnly Day);
