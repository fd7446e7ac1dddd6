using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using TaobaoAlliance.Application.Audit;
using TaobaoAlliance.Application.Cpc;
using TaobaoAlliance.Application.Ledger;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Attribution.Ledger;
using TaobaoAlliance.Data;

namespace TaobaoAlliance.Application.Fraud;

/// <summary>
/// Which paid clicks an admin means: one charge, a site's, an IP hash's, a time range's (<c>[From, To)</c>) — any of them
/// combined (all must hold). At least one must be given.
/// </summary>
public sealed record CpcVoidSelection(long? ChargeId = null, long? SiteId = null, byte[]? IpHash = null, DateTimeOffset? From = null, DateTimeOffset? To = null)
{
    public bool IsEmpty => ChargeId is null && SiteId is null && IpHash is null && From is null && To is null;
}

/// <summary>Why a CPC void (or its preview) was refused; nothing was written then.</summary>
public enum CpcVoidRefusal { NothingSelected, RangeReversed, ReasonRequired, ReasonTooLong, NothingToVoid, SelectionChanged }

/// <summary>
/// What a void of a selection moves: its paid clicks not yet voided, their price (back to the sellers' wallets), the
/// webmasters' share (reversed from CPC pending for <see cref="Held"/> clicks, clawed back from available for
/// <see cref="Released"/> ones) and the platform's margin.
/// </summary>
public sealed record CpcVoidPreview(int Clicks, Money Price, Money WebmasterShare, Money PlatformMargin, int Held, int Released, Money ClawedBack)
{
    public static readonly CpcVoidPreview None = new(0, Money.Zero, Money.Zero, Money.Zero, 0, 0, Money.Zero);
}

/// <summary>The answer to a void or a preview: what it moves (or moved), or why nothing was done.</summary>
public sealed record CpcVoidOutcome(CpcVoidPreview? Result, CpcVoidRefusal? Refusal)
{
    public bool Succeeded => Refusal is null;
}

/// <summary>
/// An admin voids paid CPC clicks found to be fraudulent, set-based: the selection's charges are locked and marked
/// <c>voided_at</c> in one statement, and ONE ledger entry moves the money back (<see cref="Postings.CpcVoided"/>): each
/// seller's wallet gets the price back, the platform its margin, and the webmaster's share is taken from CPC pending or,
/// for a click already released, from available. A voided charge is never released nor voided again, so a second void
/// of the same selection finds nothing and changes nothing. The campaigns' paid-click counts (quality) drop by the voided
/// clicks; the day's spent budget is not given back (docs/money.md). Marks, entry and audit row commit together.
/// </summary>
public sealed class CpcClickVoider(AllianceDbContext db, AuditTrail audit, LedgerWriter ledger, AdCampaigns adCampaigns,
    TimeProvider clock, ILogger<CpcClickVoider> logger)
{
    public const int MaxReasonLength = CommissionVoider.MaxReasonLength;

    /// <summary>
    /// The selection as SQL over <c>cpc_charges ch</c>, shared by the preview and the void so that they can never disagree.
    /// A charge's click row is found in its day partition by (id, time): a charge is written with its click, at its time.
    /// </summary>
    private const string Selected = """
        ch.outcome = 'Charged' AND ch.voided_at IS NULL
          AND ({0}::bigint IS NULL OR ch.id = {0})
          AND ({1}::bigint IS NULL OR ch.zone_id IN (SELECT z.id FROM ad_zones z WHERE z.site_id = {1}))
          AND ({2}::bytea IS NULL OR EXISTS (SELECT 1 FROM clicks k WHERE k.id = ch.click_id AND k.occurred_at = ch.charged_at AND k.ip_hash = {2}))
          AND ({3}::timestamptz IS NULL OR ch.charged_at >= {3})
          AND ({4}::timestamptz IS NULL OR ch.charged_at < {4})
        """;

    private sealed record Totals(long Clicks, decimal? PriceFen, decimal? ShareFen, long Held, decimal? ClawbackFen);

    private sealed record Voided(long Id, long CampaignId, long WebmasterId, long PriceFen, long ShareFen, bool Released);

    /// <summary>What voiding <paramref name="selection"/> would move now (nothing is written).</summary>
    public async Task<CpcVoidOutcome> PreviewAsync(CpcVoidSelection selection, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(selection);
        if (Check(selection) is { } refusal) return new(null, refusal);
        var t = (await db.Database.SqlQuery<Totals>(Sql("""
            SELECT count(*) AS clicks, sum(ch.price_fen) AS price_fen, sum(ch.webmaster_share_fen) AS share_fen,
                   count(*) FILTER (WHERE ch.released_at IS NULL) AS held,
                   sum(ch.webmaster_share_fen) FILTER (WHERE ch.released_at IS NOT NULL) AS clawback_fen
            FROM cpc_charges ch WHERE
            """ + " " + Selected, selection)).ToListAsync(ct)).Single();
        var price = Money.OfSum(t.PriceFen ?? 0);
        var share = Money.OfSum(t.ShareFen ?? 0);
        return new(new CpcVoidPreview((int)t.Clicks, price, share, price - share, (int)t.Held, (int)(t.Clicks - t.Held), Money.OfSum(t.ClawbackFen ?? 0)), null);
    }

    /// <summary>
    /// Voids the selection's paid clicks. With <paramref name="expected"/> (the preview the admin confirmed) a selection
    /// that would now move anything else — a click charged or voided since — is refused, so the admin is asked again.
    /// </summary>
    public async Task<CpcVoidOutcome> VoidAsync(CpcVoidSelection selection, long adminUserId, string? reason, CpcVoidPreview? expected = null,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(selection);
        if (Check(selection) is { } refusal) return new(null, refusal);
        reason = reason?.Trim();
        if (string.IsNullOrEmpty(reason)) return new(null, CpcVoidRefusal.ReasonRequired);
        if (reason.Length > MaxReasonLength) return new(null, CpcVoidRefusal.ReasonTooLong);

        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // Locked (in id order, so two voids never deadlock) and marked in one statement; a release running at the same
        // time skips locked charges, and a charge it released first is seen released here (the lock re-reads the row).
        var voided = await db.Database.SqlQuery<Voided>(Sql("WITH picked AS (SELECT ch.id FROM cpc_charges ch WHERE " + Selected + """
             ORDER BY ch.id FOR UPDATE OF ch)
            UPDATE cpc_charges ch SET voided_at = {5} FROM picked WHERE ch.id = picked.id
            RETURNING ch.id, ch.campaign_id, ch.webmaster_id, ch.price_fen, ch.webmaster_share_fen AS share_fen, ch.released_at IS NOT NULL AS released
            """, selection, now)).ToListAsync(ct);
        var result = Summarise(voided);
        if (voided.Count == 0 || (expected is not null && expected != result))
        {
            await transaction.RollbackAsync(ct);
            return new(result, voided.Count == 0 ? CpcVoidRefusal.NothingToVoid : CpcVoidRefusal.SelectionChanged);
        }

        var campaignIds = voided.Select(v => v.CampaignId).Distinct().ToList();
        var sellers = await db.Campaigns.Where(c => campaignIds.Contains(c.Id)).Select(c => new { c.Id, c.Shop.SellerId }).ToDictionaryAsync(c => c.Id, c => c.SellerId, ct);
        var key = Guid.CreateVersion7().ToString("N");
        var draft = Postings.CpcVoided(key, voided.Select(v =>
            new VoidedCpcCharge(sellers[v.CampaignId], v.WebmasterId, new Money(v.PriceFen), new Money(v.ShareFen), v.Released)));
        // Nothing is guarded: wallets and the platform only receive, CPC pending holds every held share, and a clawback
        // may take available below zero (as a commission clawback may).
        if (draft.Lines.Count > 0) await ledger.PostManyAsync([draft], [], ct);

        // Voided clicks do not count towards quality (product.md): the campaigns' paid-click counts drop by them.
        var perCampaign = voided.GroupBy(v => v.CampaignId).Select(g => (Id: g.Key, Clicks: g.Count())).ToList();
        var ids = perCampaign.Select(c => c.Id).ToArray();
        var counts = perCampaign.Select(c => c.Clicks).ToArray();
        await db.Database.ExecuteSqlAsync($"""
            UPDATE campaigns c SET clicks = greatest(c.clicks - v.clicks, 0)
            FROM unnest({ids}::bigint[], {counts}::int[]) AS v(id, clicks) WHERE c.id = v.id
            """, ct);

        audit.Record(adminUserId, "cpc.void", "cpc_void", key, new
        {
            selection = new
            {
                selection.ChargeId,
                selection.SiteId,
                ipHash = selection.IpHash is null ? null : Convert.ToHexStringLower(selection.IpHash),
                selection.From,
                selection.To,
            },
            clicks = result.Clicks,
            priceFen = result.Price.Fen,
            webmasterShareFen = result.WebmasterShare.Fen,
            platformMarginFen = result.PlatformMargin.Fen,
            held = result.Held,
            released = result.Released,
            clawedBackFen = result.ClawedBack.Fen,
            firstChargeId = voided.Min(v => v.Id),
            lastChargeId = voided.Max(v => v.Id),
            voidedAt = now,
            reason,
        });
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        // Wallets got money back and campaigns' quality changed: this node's next ad must see it.
        adCampaigns.DropState();
        logger.LogInformation("Admin {AdminUserId} voided {Clicks} paid CPC clicks ({Price}; {Held} held, {Released} released) in void {VoidKey}",
            adminUserId, result.Clicks, result.Price, result.Held, result.Released, key);
        return new(result, null);
    }

    private static CpcVoidRefusal? Check(CpcVoidSelection s) =>
        s.IsEmpty ? CpcVoidRefusal.NothingSelected
        : s.From is { } from && s.To is { } to && from >= to ? CpcVoidRefusal.RangeReversed
        : null;

    private static CpcVoidPreview Summarise(IReadOnlyList<Voided> voided)
    {
        var price = new Money(voided.Sum(v => v.PriceFen));
        var share = new Money(voided.Sum(v => v.ShareFen));
        var held = voided.Count(v => !v.Released);
        return new(voided.Count, price, share, price - share, held, voided.Count - held,
            new Money(voided.Where(v => v.Released).Sum(v => v.ShareFen)));
    }

    /// <summary>
    /// <paramref name="sql"/> with the selection's values as parameters {0}…{4} (and <paramref name="now"/> as {5}): the
    /// text is constant, so no value ever becomes SQL.
    /// </summary>
    private static FormattableString Sql(string sql, CpcVoidSelection s, DateTimeOffset? now = null) =>
        FormattableStringFactory.Create(sql, s.ChargeId, s.SiteId, s.IpHash, s.From?.ToUniversalTime(), s.To?.ToUniversalTime(), now);
}
