using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Attribution.Catalog;
using TaobaoAlliance.Attribution.Clicks;
using TaobaoAlliance.Attribution.Sites;
using TaobaoAlliance.Data;
using TaobaoAlliance.Data.Tracking;

namespace TaobaoAlliance.Application.Clicks;

/// <summary>
/// What the click path takes from an HTTP request: the client's address, its headers, the visitor id
/// of its cookie (null when it has none) and the webmaster's sub-ids of its query string (already cleaned).
/// </summary>
public sealed record ClickRequest(IPAddress? ClientAddress, string? UserAgent, string? Referrer, bool IsHead, Guid? VisitorId, SubIds? SubIds = null);

/// <summary>
/// Where a followed link sends the shopper, the click recorded on the way (null when none was) and the
/// visitor it was credited to, which the caller keeps in the visitor cookie. <see cref="ExternalLanding"/> is the
/// item's page on its shop's registered store, <c>alliance_click</c> appended (ExternalStores.Landing), when it has one.
/// </summary>
public sealed record ClickOutcome(long ItemId, Guid? ClickId, Guid? VisitorId = null, string? ExternalLanding = null);

/// <summary>
/// Follows a short or long link: finds what it points at (from memory, <see cref="ClickTargets"/>), decides whether the click is
/// valid (<see cref="ClickRules"/>), snapshots the rates in force (<see cref="ClickRates"/>), and has the
/// click committed before the caller answers. Null means there is nothing to send the shopper to.
/// </summary>
public sealed class ClickRecorder(
    AllianceDbContext db,
    ClickTargets targets,
    IRecentClicks recentClicks,
    ClickWriter writer,
    ClickSpool spool,
    ClickMetrics metrics,
    IOptions<ClickOptions> clickOptions,
    IOptionsMonitor<AllianceOptions> allianceOptions,
    TimeProvider clock,
    ILogger<ClickRecorder> logger)
{
    /// <summary>Hashed in place of the address when the server does not know it (in-process test hosts).</summary>
    public const string UnknownAddress = "unknown";

    private const int MaxUserAgentLength = 512;
    private const int MaxReferrerLength = 1024;

    public async Task<ClickOutcome?> FollowShortLinkAsync(ClickRequest request, string code, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrEmpty(code) || code.Length > 16) return null;
        if (await targets.LinkAsync(db, code, ct) is not { } link) return null;
        var candidate = new Candidate(link.LinkId, link.WebmasterId, link.SiteId, link.ZoneId, link.ItemId, link.Paused);
        var arrival = Arrive(request);
        var target = await FindAsync(candidate, arrival, ct);
        return target is null ? null : await RecordAsync(arrival, target);
    }

    /// <summary>
    /// <c>/c?pid=mm_{webmaster}_{site}_{zone}&amp;item={id}</c>. A PID that does not name a zone of a site
    /// of that webmaster still sends the shopper to the item, but records no click: no one to credit.
    /// </summary>
    public async Task<ClickOutcome?> FollowLongLinkAsync(ClickRequest request, string? pidText, string? itemText, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!long.TryParse(itemText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var itemId)) return null;
        if (Pid.TryParse(pidText, out var pid)
            && await targets.ZoneAsync(db, pid.ZoneId, ct) is { } zone && zone.SiteId == pid.SiteId && zone.WebmasterId == pid.WebmasterId)
        {
            var arrival = Arrive(request);
            var candidate = new Candidate(null, pid.WebmasterId, pid.SiteId, pid.ZoneId, itemId, LinkPaused: false);
            if (await FindAsync(candidate, arrival, ct) is { } target) return await RecordAsync(arrival, target);
        }
        var item = await targets.ItemAsync(db, itemId, ct);
        var listed = item is { IsListed: true };
        if (listed) logger.LogInformation("Long link with bad PID {Pid} for item {ItemId}: redirected without a click", pidText?[..Math.Min(pidText.Length, 64)], itemId);
        return listed ? new ClickOutcome(itemId, null, ExternalLanding: ExternalStores.Landing(item!.ExternalUrl, item.StoreHost, null)) : null;
    }

    /// <summary>
    /// The link (or PID, or zone) with its site's state, its item and shop, and the best targeted-plan rate
    /// that applies now — from <see cref="ClickTargets"/>, so a warm click reads nothing from the database.
    /// Null when the item is gone or delisted, or the site is gone.
    /// </summary>
    private async Task<Target?> FindAsync(Candidate c, Arrival arrival, CancellationToken ct)
    {
        if (await targets.ItemAsync(db, c.ItemId, ct) is not { IsListed: true } item) return null;
        if (await targets.SiteStateAsync(db, c.SiteId, ct) is not { } siteState) return null;
        var plans = await targets.PlanRatesAsync(db, item.ShopId, c.WebmasterId, ct);
        var bestPlanRate = plans.Where(p => p.Covers(c.ItemId, arrival.Now)).Max(p => (int?)p.RateBp);
        return new Target(c.LinkId, c.WebmasterId, c.SiteId, c.ZoneId, c.ItemId, item.ShopId, siteState, c.LinkPaused,
            item.ItemRateBp, item.ShopRateBp, bestPlanRate, item.ExternalUrl, item.StoreHost);
    }

    /// <summary>
    /// The click on a smart-zone ad, decided and snapshotted like any other click but not written: the
    /// CPC path writes it in the same transaction as its charge. Null when the zone or the item is gone.
    /// </summary>
    public async Task<Click?> PrepareZoneClickAsync(ClickRequest request, long zoneId, long itemId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (await targets.ZoneAsync(db, zoneId, ct) is not { } zone) return null;
        var arrival = Arrive(request);
        var target = await FindAsync(new Candidate(null, zone.WebmasterId, zone.SiteId, zoneId, itemId, LinkPaused: false), arrival, ct);
        return target is null ? null : await BuildAsync(arrival, target);
    }

    /// <summary>The item's page on its shop's registered store with the click id, from memory; null for the built-in storefront.</summary>
    public async ValueTask<string?> ExternalLandingAsync(long itemId, Guid? clickId, CancellationToken ct) =>
        await targets.ItemAsync(db, itemId, ct) is { } item ? ExternalStores.Landing(item.ExternalUrl, item.StoreHost, clickId) : null;

    /// <summary>
    /// Keeps a click the CPC path decided but could not write with its charge (PostgreSQL away): through the writer,
    /// alone, or into the spool, like any other click.
    /// </summary>
    public Task KeepAsync(Click click) => CommitAsync(click);

    /// <summary>Counts and logs a click once it is committed (by this class or by the CPC path).</summary>
    public void Recorded(Click click)
    {
        ArgumentNullException.ThrowIfNull(click);
        metrics.ClickRecorded(click.IsValid, click.InvalidReason);
        logger.LogDebug("Click {ClickId} on site {SiteId} zone {ZoneId} item {ItemId} link {LinkId} campaign {CampaignId}: valid {IsValid}, reason {InvalidReason}",
            click.Id, click.SiteId, click.ZoneId, click.ItemId, click.LinkId, click.CampaignId, click.IsValid, click.InvalidReason);
    }

    private async Task<ClickOutcome> RecordAsync(Arrival arrival, Target target)
    {
        var click = await BuildAsync(arrival, target);
        await CommitAsync(click);
        Recorded(click);
        return new ClickOutcome(click.ItemId, click.Id, click.VisitorId, ExternalStores.Landing(target.ExternalUrl, target.StoreHost, click.Id));
    }

    private Arrival Arrive(ClickRequest request) => new(request, clock.GetUtcNow(), HashIp(request.ClientAddress));

    private async ValueTask<Click> BuildAsync(Arrival arrival, Target target)
    {
        var request = arrival.Request;
        var userAgent = Truncate(request.UserAgent ?? "", MaxUserAgentLength);
        var limit = allianceOptions.CurrentValue.MaxClicksPerMinutePerIpPerSite;
        // Every click built is recorded, so it counts towards the next one's limit from here on.
        var recentFromIp = await recentClicks.CountThenRecordAsync(target.SiteId, arrival.IpHash, arrival.Now, cap: limit + 1);
        var decision = ClickRules.Decide(
            new ClickFacts(target.SiteState == SiteState.Approved, target.LinkPaused, request.IsHead, userAgent, recentFromIp), limit);
        var rates = ClickRates.InForce(target.ItemRateBp, target.ShopGeneralRateBp, target.BestPlanRateBp);
        var subIds = request.SubIds ?? SubIds.None;
        return new Click
        {
            Id = Guid.CreateVersion7(arrival.Now),
            OccurredAt = arrival.Now,
            LinkId = target.LinkId,
            WebmasterId = target.WebmasterId,
            SiteId = target.SiteId,
            ZoneId = target.ZoneId,
            ItemId = target.ItemId,
            ShopId = target.ShopId,
            // A shopper without the cookie becomes a new visitor; the caller sets the cookie to this id.
            VisitorId = request.VisitorId ?? Guid.NewGuid(),
            IpHash = arrival.IpHash,
            UserAgent = userAgent,
            Referrer = Truncate(request.Referrer ?? "", MaxReferrerLength),
            IsValid = decision.IsValid,
            InvalidReason = decision.InvalidReason,
            ItemRateBp = rates.ItemRateBp,
            ShopRateBp = rates.ShopRateBp,
            Sub1 = subIds.Sub1,
            Sub2 = subIds.Sub2,
            Sub3 = subIds.Sub3,
            Sub4 = subIds.Sub4,
            Sub5 = subIds.Sub5,
        };
    }

    /// <summary>
    /// Batched through the <see cref="ClickWriter"/>; if the batch fails (or the writer is stopping), the click
    /// is written on its own; if PostgreSQL cannot take that either, it goes to the <see cref="ClickSpool"/>
    /// on local disk, to be replayed later. Not cancellable: once decided, a click is kept even if the
    /// shopper has gone, and the redirect is only answered once it is committed or on disk.
    /// </summary>
    private async Task CommitAsync(Click click)
    {
        try
        {
            await writer.WriteAsync(click);
            return;
        }
#pragma warning disable CA1031 // Whatever went wrong with the batch, the single insert below is the answer.
        catch (Exception e)
#pragma warning restore CA1031
        {
            logger.LogWarning(e, "Click {ClickId} was not written in a batch; writing it on its own", click.Id);
        }
        metrics.FallbackWrite();
        db.Clicks.Add(click);
        try
        {
            await db.SaveChangesAsync(CancellationToken.None);
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } key && ClickPartitioning.IsPrimaryKey(key.ConstraintName))
        {
            // The batch did commit but its acknowledgement was lost (connection dropped): the click is there.
        }
#pragma warning disable CA1031 // PostgreSQL is away or refusing: the spool keeps the click (replay inserts it by id, once).
        catch (Exception e)
#pragma warning restore CA1031
        {
            logger.LogWarning(e, "Click {ClickId} could not be written to PostgreSQL; spooling it", click.Id);
            db.Entry(click).State = EntityState.Detached;
            await spool.AppendAsync(click);
        }
    }

    private byte[] HashIp(IPAddress? address)
    {
        // One client, one hash, whether the socket reports it as IPv4 or as IPv4-mapped IPv6.
        if (address is { IsIPv4MappedToIPv6: true }) address = address.MapToIPv4();
        return SHA256.HashData(Encoding.UTF8.GetBytes(clickOptions.Value.IpHashSalt + (address?.ToString() ?? UnknownAddress)));
    }

    /// <summary>Empty becomes null; long values are cut without splitting a surrogate pair; NULs, which PostgreSQL refuses, go.</summary>
    private static string? Truncate(string value, int maxLength)
    {
        if (value.Contains('\0', StringComparison.Ordinal)) value = value.Replace("\0", "", StringComparison.Ordinal);
        if (value.Length == 0) return null;
        if (value.Length <= maxLength) return value;
        return value[..(char.IsHighSurrogate(value[maxLength - 1]) ? maxLength - 1 : maxLength)];
    }

    /// <summary>A request at the moment it arrived, with its address already hashed.</summary>
    private sealed record Arrival(ClickRequest Request, DateTimeOffset Now, byte[] IpHash);

    /// <summary>What a link, a PID or an ad zone names, before its item and site are looked up.</summary>
    private sealed record Candidate(long? LinkId, long WebmasterId, long SiteId, long ZoneId, long ItemId, bool LinkPaused);

    private sealed record Target(
        long? LinkId, long WebmasterId, long SiteId, long ZoneId, long ItemId, long ShopId, SiteState SiteState, bool LinkPaused,
        int? ItemRateBp, int ShopGeneralRateBp, int? BestPlanRateBp, string? ExternalUrl, string? StoreHost);
}
