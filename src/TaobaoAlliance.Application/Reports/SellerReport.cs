using Microsoft.EntityFrameworkCore;
using TaobaoAlliance.Application.Commissions;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Data;
using TaobaoAlliance.Attribution.Reports;
using TaobaoAlliance.Data.Commissions;

namespace TaobaoAlliance.Application.Reports;

/// <summary>A seller's report over a period: each China day with some activity, and the period's total.</summary>
public sealed record SellerReportResult(IReadOnlyDictionary<DateOnly, SellerMetrics> Days, SellerMetrics Total);

/// <summary>
/// The seller's reports, always over a list of shops the caller has checked the seller owns. Days are
/// China days: commission counts on the day its order was paid, CPC on the day
/// of the click, orders on the day they were paid. Customers are a shop and the store's buyer reference
/// (orders without one cannot be told apart and are left out of customer counts and cohorts).
/// </summary>
public sealed class SellerReport(AllianceDbContext db)
{
    /// <summary>One commission sum (already worth its stored amount) or one refunded commission to recompute by the rules.</summary>
    private sealed record CommissionPart(long Key, bool Recompute, decimal CommissionFen, long BaseFen, long RefundedBaseFen, int RateBp,
        int PlatformFeeBp, int SubsidyBonusBp, long SubsidyFen);

    private sealed record Sum(long Key, decimal Fen);
    private sealed record OrderSums(long Key, long Orders, decimal GmvFen, decimal RefundsFen);
    private sealed record CustomerSums(long? Key, long NewCustomers, long ReturningCustomers);
    private sealed record RevenueSums(long Key, int MonthOffset, long Customers, decimal Fen);

    /// <summary>The China days of <paramref name="period"/>, keyed in SQL as <see cref="ReportDays"/> (days since 1970-01-01).</summary>
    public async Task<SellerReportResult> MetricsAsync(long[] shopIds, ReportPeriod period, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(period);
        var offset = ChinaTime.Offset;
        var start = period.Start;
        var end = period.End;
        var days = new Dictionary<long, SellerMetrics>();
        void Add(long key, Func<SellerMetrics, SellerMetrics> change) => days[key] = change(days.GetValueOrDefault(key, SellerMetrics.Zero));

        // Money is summed as numeric (PostgreSQL's sum of bigint) and not cast back in SQL, where a total beyond
        // a bigint failed the page. A commission's created_at is its order's paid_at. Reversed, clawed-back and voided commissions cost nothing.
        var commissions = await db.Database.SqlQuery<CommissionPart>($"""
            WITH c AS (
                SELECT ((cm.created_at AT TIME ZONE {offset})::date - DATE '1970-01-01')::bigint AS key, cm.*
                FROM commissions cm
                JOIN orders o ON o.id = cm.order_id
                WHERE o.shop_id = ANY({shopIds}) AND cm.created_at >= {start} AND cm.created_at < {end}
                  AND cm.state IN ('Pending', 'Settled')
            )
            SELECT key, false AS recompute, sum(commission_fen) AS commission_fen, 0::bigint AS base_fen, 0::bigint AS refunded_base_fen,
                   0 AS rate_bp, 0 AS platform_fee_bp, 0 AS subsidy_bonus_bp, 0::bigint AS subsidy_fen
            FROM c WHERE refunded_base_fen = 0 GROUP BY key
            UNION ALL
            SELECT key, true, commission_fen::numeric, base_fen, refunded_base_fen, rate_bp, platform_fee_bp, subsidy_bonus_bp, subsidy_fen
            FROM c WHERE refunded_base_fen > 0
            """).ToListAsync(ct);
        foreach (var (key, fen) in Fold(commissions)) Add(key, m => m with { CommissionSpend = m.CommissionSpend + fen });

        var cpc = await db.Database.SqlQuery<Sum>($"""
            SELECT ((ch.charged_at AT TIME ZONE {offset})::date - DATE '1970-01-01')::bigint AS key, sum(ch.price_fen) AS fen
            FROM cpc_charges ch
            JOIN campaigns ca ON ca.id = ch.campaign_id
            WHERE ca.shop_id = ANY({shopIds}) AND ch.charged_at >= {start} AND ch.charged_at < {end}
            GROUP BY 1
            """).ToListAsync(ct);
        foreach (var c in cpc) Add(c.Key, m => m with { CpcSpend = Money.OfSum(c.Fen) });

        var orders = await db.Database.SqlQuery<OrderSums>($"""
            SELECT ((o.paid_at AT TIME ZONE {offset})::date - DATE '1970-01-01')::bigint AS key,
                   count(*) AS orders,
                   coalesce(sum(l.paid_fen - l.refunded_fen), 0) AS gmv_fen,
                   coalesce(sum(l.refunded_fen), 0) AS refunds_fen
            FROM orders o
            CROSS JOIN LATERAL (SELECT sum(ol.paid_fen) AS paid_fen, sum(ol.refunded_fen) AS refunded_fen FROM order_lines ol WHERE ol.order_id = o.id) l
            WHERE o.shop_id = ANY({shopIds}) AND o.attributed_click_id IS NOT NULL AND o.paid_at >= {start} AND o.paid_at < {end}
            GROUP BY 1
            """).ToListAsync(ct);
        foreach (var o in orders) Add(o.Key, m => m with { AllianceOrders = o.Orders, AllianceGmv = Money.OfSum(o.GmvFen), Refunds = Money.OfSum(o.RefundsFen) });

        // A customer with an alliance order in the period is new when their first order in that shop (alliance or
        // not) falls in the period, returning when it came before. ROLLUP adds the period's row (key NULL), where
        // each customer counts once however many days they bought on.
        var customers = await db.Database.SqlQuery<CustomerSums>($"""
            WITH a AS (
                SELECT o.shop_id, o.buyer_ref, ((o.paid_at AT TIME ZONE {offset})::date - DATE '1970-01-01')::bigint AS day_key
                FROM orders o
                WHERE o.shop_id = ANY({shopIds}) AND o.attributed_click_id IS NOT NULL AND o.buyer_ref <> ''
                  AND o.paid_at >= {start} AND o.paid_at < {end}
            ), f AS (
                SELECT o.shop_id, o.buyer_ref, min(o.paid_at) AS first_paid
                FROM orders o
                WHERE o.shop_id = ANY({shopIds}) AND (o.shop_id, o.buyer_ref) IN (SELECT shop_id, buyer_ref FROM a)
                GROUP BY 1, 2
            )
            SELECT a.day_key AS key,
                   count(DISTINCT a.shop_id::text || ':' || a.buyer_ref) FILTER (WHERE f.first_paid >= {start}) AS new_customers,
                   count(DISTINCT a.shop_id::text || ':' || a.buyer_ref) FILTER (WHERE f.first_paid < {start}) AS returning_customers
            FROM a JOIN f ON f.shop_id = a.shop_id AND f.buyer_ref = a.buyer_ref
            GROUP BY ROLLUP (a.day_key)
            """).ToListAsync(ct);
        var total = SellerMetrics.Zero;
        foreach (var c in customers)
        {
            if (c.Key is { } key) Add(key, m => m with { NewCustomers = c.NewCustomers, ReturningCustomers = c.ReturningCustomers });
            else total = total with { NewCustomers = c.NewCustomers, ReturningCustomers = c.ReturningCustomers };
        }

        var shown = days.Where(d => !d.Value.IsEmpty).ToDictionary(d => ReportDays.FromKey(d.Key), d => d.Value);
        total = total with
        {
            CommissionSpend = Total(shown.Values, m => m.CommissionSpend),
            CpcSpend = Total(shown.Values, m => m.CpcSpend),
            AllianceOrders = shown.Values.Sum(m => m.AllianceOrders),
            AllianceGmv = Total(shown.Values, m => m.AllianceGmv),
            Refunds = Total(shown.Values, m => m.Refunds),
        };
        return new(shown, total);
    }

    /// <summary>
    /// The cohorts of the months <paramref name="firstMonthKey"/> to <paramref name="currentMonthKey"/> (China months):
    /// customers (shop + buyer reference) whose first order in the shop came through the alliance, grouped by
    /// the month of that first order, with the commission on those first orders, the CPC spend of the month,
    /// and every order of those customers in that shop since (alliance or not, less refunds) by months since.
    /// </summary>
    public async Task<IReadOnlyList<CohortRow>> CohortsAsync(long[] shopIds, int firstMonthKey, int currentMonthKey,
        CancellationToken ct = default)
    {
        var offset = ChinaTime.Offset;
        var from = ChinaTime.StartOf(SellerReportMath.FirstDay(firstMonthKey));
        var end = ChinaTime.StartOf(SellerReportMath.FirstDay(currentMonthKey + 1));

        // Month keys are months since year 0 of the China wall-clock time (SellerReportMath.MonthKey).
        var revenue = await db.Database.SqlQuery<RevenueSums>($"""
            WITH firsts AS (
                SELECT DISTINCT ON (o.shop_id, o.buyer_ref) o.id, o.shop_id, o.buyer_ref, o.paid_at, o.attributed_click_id
                FROM orders o
                WHERE o.shop_id = ANY({shopIds}) AND o.buyer_ref <> ''
                ORDER BY o.shop_id, o.buyer_ref, o.paid_at, o.id
            ), cohort AS (
                SELECT f.id, f.shop_id, f.buyer_ref,
                       (extract(year FROM f.paid_at AT TIME ZONE {offset}) * 12 + extract(month FROM f.paid_at AT TIME ZONE {offset}) - 1)::int AS month
                FROM firsts f
                WHERE f.attributed_click_id IS NOT NULL AND f.paid_at >= {from} AND f.paid_at < {end}
            )
            SELECT c.month::bigint AS key,
                   ((extract(year FROM o.paid_at AT TIME ZONE {offset}) * 12 + extract(month FROM o.paid_at AT TIME ZONE {offset}) - 1)::int - c.month) AS month_offset,
                   count(DISTINCT c.id) AS customers,
                   coalesce(sum(l.paid_fen - l.refunded_fen), 0) AS fen
            FROM cohort c
            JOIN orders o ON o.shop_id = c.shop_id AND o.buyer_ref = c.buyer_ref
            CROSS JOIN LATERAL (SELECT sum(ol.paid_fen) AS paid_fen, sum(ol.refunded_fen) AS refunded_fen FROM order_lines ol WHERE ol.order_id = o.id) l
            GROUP BY 1, 2
            """).ToListAsync(ct);

        var commissions = await db.Database.SqlQuery<CommissionPart>($"""
            WITH firsts AS (
                SELECT DISTINCT ON (o.shop_id, o.buyer_ref) o.id, o.paid_at, o.attributed_click_id
                FROM orders o
                WHERE o.shop_id = ANY({shopIds}) AND o.buyer_ref <> ''
                ORDER BY o.shop_id, o.buyer_ref, o.paid_at, o.id
            ), c AS (
                SELECT (extract(year FROM f.paid_at AT TIME ZONE {offset}) * 12 + extract(month FROM f.paid_at AT TIME ZONE {offset}) - 1)::bigint AS key, cm.*
                FROM firsts f
                JOIN commissions cm ON cm.order_id = f.id
                WHERE f.attributed_click_id IS NOT NULL AND f.paid_at >= {from} AND f.paid_at < {end} AND cm.state IN ('Pending', 'Settled')
            )
            SELECT key, false AS recompute, sum(commission_fen) AS commission_fen, 0::bigint AS base_fen, 0::bigint AS refunded_base_fen,
                   0 AS rate_bp, 0 AS platform_fee_bp, 0 AS subsidy_bonus_bp, 0::bigint AS subsidy_fen
            FROM c WHERE refunded_base_fen = 0 GROUP BY key
            UNION ALL
            SELECT key, true, commission_fen::numeric, base_fen, refunded_base_fen, rate_bp, platform_fee_bp, subsidy_bonus_bp, subsidy_fen
            FROM c WHERE refunded_base_fen > 0
            """).ToListAsync(ct);

        var cpc = await db.Database.SqlQuery<Sum>($"""
            SELECT (extract(year FROM ch.charged_at AT TIME ZONE {offset}) * 12 + extract(month FROM ch.charged_at AT TIME ZONE {offset}) - 1)::bigint AS key,
                   sum(ch.price_fen) AS fen
            FROM cpc_charges ch
            JOIN campaigns ca ON ca.id = ch.campaign_id
            WHERE ca.shop_id = ANY({shopIds}) AND ch.charged_at >= {from} AND ch.charged_at < {end}
            GROUP BY 1
            """).ToListAsync(ct);

        var commissionByMonth = Fold(commissions);
        var cpcByMonth = cpc.ToDictionary(c => c.Key, c => Money.OfSum(c.Fen));
        var months = revenue.Select(r => r.Key).Concat(cpcByMonth.Keys).Distinct().Select(key => new CohortMonth(
            (int)key,
            revenue.Where(r => r.Key == key && r.MonthOffset == 0).Sum(r => r.Customers),
            commissionByMonth.GetValueOrDefault(key),
            cpcByMonth.GetValueOrDefault(key),
            revenue.Where(r => r.Key == key).ToDictionary(r => r.MonthOffset, r => Money.OfSum(r.Fen))));
        return SellerReportMath.Cohorts(months, currentMonthKey);
    }

    /// <summary>Commission by key: stored amounts for the never-refunded, the rules' recomputation for the partly refunded.</summary>
    private static Dictionary<long, Money> Fold(IEnumerable<CommissionPart> parts)
    {
        var sums = new Dictionary<long, Money>();
        foreach (var p in parts)
        {
            var worth = p.Recompute
                ? new Commission
                {
                    State = CommissionState.Pending, BaseFen = p.BaseFen, RefundedBaseFen = p.RefundedBaseFen, RateBp = p.RateBp,
                    PlatformFeeBp = p.PlatformFeeBp, SubsidyBonusBp = p.SubsidyBonusBp, SubsidyFen = p.SubsidyFen,
                }.Effective().Commission
                : Money.OfSum(p.CommissionFen);
            sums[p.Key] = sums.GetValueOrDefault(p.Key) + worth;
        }
        return sums;
    }

    private static Money Total(IEnumerable<SellerMetrics> all, Func<SellerMetrics, Money> pick) => all.Aggregate(Money.Zero, (sum, m) => sum + pick(m));
}
