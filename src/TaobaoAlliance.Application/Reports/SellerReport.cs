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

        // Commissions and orders by day come from the day rollups (Data/Reports/SaleRollups.cs), kept by the database as
        // orders, refunds and commission states change: commissions at what they are worth now (reversed, clawed-back
        // and voided ones cost nothing), alliance orders with their GMV net of refunds. Money is summed as numeric.
        var (fromDay, toDay) = (period.From, period.To);
        var commissions = await db.CommissionDayShops.AsNoTracking()
            .Where(r => shopIds.Contains(r.ShopId) && r.Day >= fromDay && r.Day <= toDay)
            .GroupBy(r => r.Day).Select(g => new { Day = g.Key, Fen = g.Sum(r => r.CommissionFen) })
            .ToListAsync(ct);
        foreach (var c in commissions) Add(ReportDays.KeyOf(c.Day), m => m with { CommissionSpend = Money.OfSum(c.Fen) });

        var cpc = await db.Database.SqlQuery<Sum>($"""
            SELECT ((ch.charged_at AT TIME ZONE {offset})::date - DATE '1970-01-01')::bigint AS key, sum(ch.price_fen) AS fen
            FROM cpc_charges ch
            JOIN campaigns ca ON ca.id = ch.campaign_id
            WHERE ca.shop_id = ANY({shopIds}) AND ch.charged_at >= {start} AND ch.charged_at < {end}
            GROUP BY 1
            """).ToListAsync(ct);
        foreach (var c in cpc) Add(c.Key, m => m with { CpcSpend = Money.OfSum(c.Fen) });

        var orders = await db.OrderDayShops.AsNoTracking()
            .Where(r => shopIds.Contains(r.ShopId) && r.Day >= fromDay && r.Day <= toDay)
            .GroupBy(r => r.Day)
            .Select(g => new { Day = g.Key, Orders = g.Sum(r => r.AllianceOrders), Gmv = g.Sum(r => r.AllianceGmvFen), Refunds = g.Sum(r => r.AllianceRefundsFen) })
            .ToListAsync(ct);
        foreach (var o in orders)
        {
            Add(ReportDays.KeyOf(o.Day), m => m with { AllianceOrders = o.Orders, AllianceGmv = Money.OfSum(o.Gmv), Refunds = Money.OfSum(o.Refunds) });
        }

        // A customer with an alliance order in the period is new when their first order in that shop (alliance or
        // not) falls in the period, returning when it came before: the first order is kept in shop_customers, so a
        // customer's history is never read. ROLLUP adds the period's row (key NULL), where each customer counts once
        // however many days they bought on.
        var customers = await db.Database.SqlQuery<CustomerSums>($"""
            WITH a AS (
                SELECT o.shop_id, o.buyer_ref, ((o.paid_at AT TIME ZONE {offset})::date - DATE '1970-01-01')::bigint AS day_key
                FROM orders o
                WHERE o.shop_id = ANY({shopIds}) AND o.attributed_click_id IS NOT NULL AND o.buyer_ref <> ''
                  AND o.paid_at >= {start} AND o.paid_at < {end}
            )
            SELECT a.day_key AS key,
                   count(DISTINCT a.shop_id::text || ':' || a.buyer_ref) FILTER (WHERE f.first_paid_at >= {start}) AS new_customers,
                   count(DISTINCT a.shop_id::text || ':' || a.buyer_ref) FILTER (WHERE f.first_paid_at < {start}) AS returning_customers
            FROM a JOIN shop_customers f ON f.shop_id = a.shop_id AND f.buyer_ref = a.buyer_ref
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
    /// customers (shop + buyer reference, their first order kept in shop_customers) whose first order in the shop came through the alliance, grouped by
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
            WITH cohort AS (
                SELECT f.first_order_id AS id, f.shop_id, f.buyer_ref,
                       (extract(year FROM f.first_paid_at AT TIME ZONE {offset}) * 12 + extract(month FROM f.first_paid_at AT TIME ZONE {offset}) - 1)::int AS month
                FROM shop_customers f
                WHERE f.shop_id = ANY({shopIds}) AND f.first_attributed AND f.first_paid_at >= {from} AND f.first_paid_at < {end}
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
            WITH c AS (
                SELECT (extract(year FROM f.first_paid_at AT TIME ZONE {offset}) * 12 + extract(month FROM f.first_paid_at AT TIME ZONE {offset}) - 1)::bigint AS key, cm.*
                FROM shop_customers f
                JOIN commissions cm ON cm.order_id = f.first_order_id
                WHERE f.shop_id = ANY({shopIds}) AND f.first_attributed AND f.first_paid_at >= {from} AND f.first_paid_at < {end}
                  AND cm.state IN ('Pending', 'Settled')
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
