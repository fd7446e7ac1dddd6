using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using TaobaoAlliance.Attribution.Catalog;
using TaobaoAlliance.Attribution.Sites;
using TaobaoAlliance.Data;
using TaobaoAlliance.Data.Catalog;

namespace TaobaoAlliance.Application.Clicks;

/// <summary>What a short link names.</summary>
public sealed record LinkFacts(long LinkId, long WebmasterId, long SiteId, long ZoneId, long ItemId, bool Paused);

/// <summary>Which site (and so which webmaster) an ad zone belongs to; whether it shows ads, and for which site category.</summary>
public sealed record ZoneFacts(long SiteId, long WebmasterId, bool IsSmart, int SiteCategoryId);

/// <summary>
/// An item as the click path needs it: its shop, whether it is listed, the rates it pays, and its product URL on its
/// shop's registered store host (both null for the built-in storefront).
/// </summary>
public sealed record ItemFacts(long ShopId, bool IsListed, int? ItemRateBp, int ShopRateBp, string? ExternalUrl = null, string? StoreHost = null);

/// <summary>A targeted plan's rate for one webmaster (an approved member), on one item or the whole shop, for a period.</summary>
public sealed record PlanRate(long? ItemId, int RateBp, DateTimeOffset StartsAt, DateTimeOffset? EndsAt)
{
    /// <summary>Only active plans are kept (<see cref="ClickTargets.PlanRatesAsync"/>), so what is left is the period and the item.</summary>
    public bool Covers(long itemId, DateTimeOffset at) =>
        TargetedPlanRules.Covers(ItemId, itemId) && TargetedPlanRules.IsOpenAt(isActive: true, StartsAt, EndsAt, at);
}

/// <summary>
/// The click path's memory of what does not change per click: links, zones, site states, items with
/// their rates, and targeted-plan rates. Each fact is read from PostgreSQL once, on first use, and kept
/// until <see cref="Invalidate"/> drops everything — which the <see cref="ClickTargetsListener"/> does
/// as soon as PostgreSQL notifies a change (see ClickTargetTriggers), and again whenever it reconnects
/// (notifications may have been missed meanwhile). While it is not connected nothing new is kept, but
/// what is kept still answers: when PostgreSQL itself is down (a restart, a failover) no one can change
/// these facts, and warm clicks keep redirecting (their rows go to the spool). After
/// <see cref="MaxDeafTime"/> without notifications everything is dropped all the same, which bounds how
/// stale a fact can get if only the listener's connection is lost.
/// </summary>
public sealed class ClickTargets
{
    /// <summary>A flood of made-up link codes must not grow memory without end: past this, start afresh.</summary>
    private const int MaxEntries = 1_000_000;

    private readonly ConcurrentDictionary<string, LinkFacts?> links = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<long, ZoneFacts?> zones = new();
    private readonly ConcurrentDictionary<long, SiteState?> sites = new();
    private readonly ConcurrentDictionary<long, ItemFacts?> items = new();
    private readonly ConcurrentDictionary<(long ShopId, long WebmasterId), PlanRate[]> plans = new();
    /// <summary>How long kept facts may answer while no notification can arrive.</summary>
    public static readonly TimeSpan MaxDeafTime = TimeSpan.FromSeconds(30);

    private long generation;
    private volatile bool listening;

    /// <summary>True while change notifications arrive, so kept facts are current.</summary>
    public bool IsListening => listening;

    /// <summary>
    /// The payload of the last notification heard. Notifications arrive in commit order, so once a NOTIFY with a
    /// payload of one's own is heard, every change committed before it is in force (tests wait on this).
    /// </summary>
    public string? LastHeard { get; private set; }

    /// <summary>A notification arrived: drop everything, and remember what it said.</summary>
    public void Heard(string payload)
    {
        Invalidate();
        LastHeard = payload;
    }

    public ValueTask<LinkFacts?> LinkAsync(AllianceDbContext db, string code, CancellationToken ct) =>
        GetAsync(links, code, () => db.Links.AsNoTracking().Where(l => l.Code == code)
            .Select(l => new LinkFacts(l.Id, l.WebmasterId, l.SiteId, l.ZoneId, l.ItemId, l.IsPaused)).SingleOrDefaultAsync(ct));

    public ValueTask<ZoneFacts?> ZoneAsync(AllianceDbContext db, long zoneId, CancellationToken ct) =>
        GetAsync(zones, zoneId, () => db.AdZones.AsNoTracking().Where(z => z.Id == zoneId)
            .Select(z => new ZoneFacts(z.SiteId, z.Site.WebmasterId, z.IsSmart, z.Site.CategoryId)).SingleOrDefaultAsync(ct));

    public ValueTask<SiteState?> SiteStateAsync(AllianceDbContext db, long siteId, CancellationToken ct) =>
        GetAsync(sites, siteId, () => db.Sites.AsNoTracking().Where(s => s.Id == siteId).Select(s => (SiteState?)s.State).SingleOrDefaultAsync(ct));

    public ValueTask<ItemFacts?> ItemAsync(AllianceDbContext db, long itemId, CancellationToken ct) =>
        GetAsync(items, itemId, () => db.Items.AsNoTracking().Where(i => i.Id == itemId)
            .Select(i => new ItemFacts(i.ShopId, i.IsOnSale, i.CommissionRateBp, i.Shop.GeneralRateBp, i.ExternalUrl, i.Shop.StoreHost))
            .SingleOrDefaultAsync(ct));

    /// <summary>The active targeted plans of a shop in which the webmaster is an approved member, whatever their period.</summary>
    public ValueTask<PlanRate[]> PlanRatesAsync(AllianceDbContext db, long shopId, long webmasterId, CancellationToken ct) =>
        GetAsync(plans, (shopId, webmasterId), () => db.TargetedPlans.AsNoTracking()
            .Where(p => p.ShopId == shopId && p.IsActive
                && p.Members.Any(m => m.WebmasterId == webmasterId && m.State == PlanMembershipState.Approved))
            .Select(p => new PlanRate(p.ItemId, p.RateBp, p.StartsAt, p.EndsAt)).ToArrayAsync(ct));

    /// <summary>Drops every kept fact. Lookups that started before it do not keep what they read.</summary>
    public void Invalidate()
    {
        Interlocked.Increment(ref generation);
        links.Clear();
        zones.Clear();
        sites.Clear();
        items.Clear();
        plans.Clear();
    }

    /// <summary>The listener is connected and LISTENing: whatever was kept before may have missed a change.</summary>
    public void Connected()
    {
        Invalidate();
        listening = true;
    }

    /// <summary>The listener lost its connection: keep answering from what is kept, but keep nothing new.</summary>
    public void Disconnected() => listening = false;

    /// <summary>A kept fact answers without an await (the warm click path allocates no task); a miss reads it.</summary>
    private ValueTask<TValue> GetAsync<TKey, TValue>(ConcurrentDictionary<TKey, TValue> cache, TKey key, Func<Task<TValue>> load)
        where TKey : notnull =>
        cache.TryGetValue(key, out var kept) ? ValueTask.FromResult(kept) : new ValueTask<TValue>(LoadAsync(cache, key, load));

    private async Task<TValue> LoadAsync<TKey, TValue>(ConcurrentDictionary<TKey, TValue> cache, TKey key, Func<Task<TValue>> load)
        where TKey : notnull
    {
        var before = Interlocked.Read(ref generation);
        var value = await load();
        if (!listening) return value;
        if (cache.Count >= MaxEntries) cache.Clear();
        cache[key] = value;
        // A change committed while we read may have been notified (and everything dropped) before we stored
        // our read: then what we stored may be stale, so take it out again.
        if (Interlocked.Read(ref generation) != before) cache.TryRemove(key, out _);
        return value;
    }
}
