using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Attribution.Ledger;
using TaobaoAlliance.Application.Ledger;
using TaobaoAlliance.Data;

namespace TaobaoAlliance.Application.Reports;

/// <summary>
/// A webmaster's balances, each the sum of its ledger account's lines: commission pending, available, payout requested,
/// paid out, and CPC earnings still in the CPC hold (<paramref name="CpcPending"/>).
/// </summary>
public sealed record WebmasterBalances(Money Pending, Money Available, Money PayoutRequested, Money PaidOut, Money CpcPending = default);

/// <summary>CPC earnings in the hold that become available on one day (China time): <paramref name="ReleaseFrom"/> is when the first of them does.</summary>
public sealed record CpcRelease(DateOnly Day, DateTimeOffset ReleaseFrom, int Clicks, Money Share);

/// <summary>
/// Pending commission expected to settle on one China day: <paramref name="SettlesFrom"/> is when the first of it does
/// (order confirmation + the settlement hold). <paramref name="Confirmed"/> false: the orders are not confirmed yet, and
/// the day is the latest one (automatic confirmation + the hold); a buyer who confirms sooner brings it forward.
/// </summary>
public sealed record CommissionSettlement(DateOnly Day, DateTimeOffset SettlesFrom, bool Confirmed, int Orders, Money Share);

/// <summary>A webmaster's ledger accounts as the balance page, the home page and the API show them.</summary>
public sealed class WebmasterAccounts(LedgerWriter ledger, AllianceDbContext db, IOptionsSnapshot<AllianceOptions> options)
{
    public async Task<WebmasterBalances> BalancesAsync(long webmasterId, CancellationToken ct = default)
    {
        var balances = await ledger.WebmasterBalancesAsync(webmasterId, ct);
        Money Of(AccountKind kind) => balances.GetValueOrDefault(kind, Money.Zero);
        return new(Of(AccountKind.WebmasterPending), Of(AccountKind.WebmasterAvailable),
            Of(AccountKind.WebmasterPayoutRequested), Of(AccountKind.WebmasterPaidOut), Of(AccountKind.WebmasterCpcPending));
    }

    private sealed record HeldDay(DateTimeOffset First, long Clicks, decimal ShareFen);

    /// <summary>
    /// The webmaster's paid clicks still in the CPC hold by the China day they become available (their click's time plus
    /// the hold), soonest first. The release runs every minute, so the money is available a minute or so after the time shown.
    /// </summary>
    public async Task<IReadOnlyList<CpcRelease>> CpcReleasesAsync(long webmasterId, CancellationToken ct = default)
    {
        var hold = TimeSpan.FromDays(options.Value.CpcHoldDays);
        var offset = ChinaTime.Offset;
        // Grouped by the China day of release; read from the partial index of held charges (ix_cpc_charges_charged_at_webmaster_id).
        var days = await db.Database.SqlQuery<HeldDay>($"""
            SELECT min(ch.charged_at) AS first, count(*) AS clicks, sum(ch.webmaster_share_fen) AS share_fen
            FROM cpc_charges ch
            WHERE ch.webmaster_id = {webmasterId} AND ch.outcome = 'Charged' AND ch.released_at IS NULL AND ch.voided_at IS NULL
            GROUP BY ((ch.charged_at + {hold}) AT TIME ZONE {offset})::date
            """).ToListAsync(ct);
        return days.Select(d => new CpcRelease(ChinaTime.DayOf(d.First + hold), d.First + hold, (int)d.Clicks, Money.OfSum(d.ShareFen)))
            .OrderBy(d => d.Day).ToList();
    }

    private sealed record PendingDay(DateTimeOffset First, bool Confirmed, long Orders, decimal ShareFen);

    /// <summary>
    /// The webmaster's pending commission by the China day it is expected to settle (product.md: confirmed, by the buyer
    /// or automatically <see cref="AllianceOptions.AutoConfirmDays"/> after payment, then held
    /// <see cref="AllianceOptions.SettlementHoldDays"/>), soonest first, at what each commission is worth now (its share
    /// plus subsidy after refunds, commission_worth()). Read through the partial index of pending commissions.
    /// </summary>
    public async Task<IReadOnlyList<CommissionSettlement>> CommissionSettlementsAsync(long webmasterId, CancellationToken ct = default)
    {
        var hold = TimeSpan.FromDays(options.Value.SettlementHoldDays);
        var autoConfirm = TimeSpan.FromDays(options.Value.AutoConfirmDays);
        var offset = ChinaTime.Offset;
        var days = await db.Database.SqlQuery<PendingDay>($"""
            SELECT min(e.settles_at) AS first, e.confirmed, count(DISTINCT e.order_id) AS orders, sum(e.share_fen) AS share_fen
            FROM (SELECT c.order_id, o.confirmed_at IS NOT NULL AS confirmed,
                         coalesce(o.confirmed_at, o.paid_at + {autoConfirm}) + {hold} AS settles_at,
                         (w.webmaster_fen + w.subsidy_fen)::numeric AS share_fen
                  FROM commissions c JOIN orders o ON o.id = c.order_id CROSS JOIN LATERAL commission_worth(c) w
                  WHERE c.webmaster_id = {webmasterId} AND c.state = 'Pending') e
            GROUP BY (e.settles_at AT TIME ZONE {offset})::date, e.confirmed
            """).ToListAsync(ct);
        return days.Select(d => new CommissionSettlement(ChinaTime.DayOf(d.First), d.First, d.Confirmed, (int)d.Orders, Money.OfSum(d.ShareFen)))
            .OrderBy(d => d.Day).ThenByDescending(d => d.Confirmed).ToList();
    }
}
