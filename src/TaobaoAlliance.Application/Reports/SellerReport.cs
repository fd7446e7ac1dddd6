using Microsoft.EntityFrameworkCore;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Data;
using TaobaoAlliance.Attribution.Reports;

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
    private sealed record Sum(long Key, decimal Fen);
    private sealed record CustomerSums(long Key, long NewCustomers, long ReturningCustomers);
    private sealed record CustomerTotals(long NewCustomers, long ReturningCustomers);
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
            WHERE ca.shop_id = ANY({shopIds}) AND ch.charged_at >= {start} AND ch.charged_at < {end} AND ch.voided_at IS NULL
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
        // not) falls in the period, returning when it came before. By day from customer_day_shops (customers with an
        // alliance order that day, by the day of their first order); over the period from shop_customer_days, where each
        // customer counts once however many days they bought on (both in Data/Reports/SaleRollups.cs).
        var customers = await db.Database.SqlQuery<CustomerSums>($"""
            SELECT (r.day - DATE '1970-01-01')::bigint AS key,
                   coalesce(sum(r.alliance_customers) FILTER (WHERE r.first_day >= {fromDay}), 0)::bigint AS new_customers,
                   coalesce(sum(r.alliance_customers) FILTER (WHERE r.first_day < {fromDay}), 0)::bigint AS returning_customers
            FROM customer_day_shops r
            WHERE r.shop_id = ANY({shopIds}) AND r.day >= {fromDay} AND r.day <= {toDay}
            GROUP BY r.day
            HAVING sum(r.alliance_customers) > 0
            """).ToListAsync(ct);
        foreach (var c in customers) Add(c.Key, m => m with { NewCustomers = c.NewCustomers, ReturningCustomers = c.ReturningCustomers });
        var periodCustomers = await db.Database.SqlQuery<CustomerTotals>($"""
            SELECT count(*) FILTER (WHERE d.first_day >= {fromDay}) AS new_customers, count(*) FILTER (WHERE d.first_day < {fromDay}) AS returning_customers
            FROM (SELECT DISTINCT r.shop_id, r.buyer_ref, r.first_day FROM shop_customer_days r
                  WHERE r.shop_id = ANY({shopIds}) AND r.day >= {fromDay} AND r.day <= {toDay} AND r.alliance_orders > 0) d
            """).SingleAsync(ct);
        var total = SellerMetrics.Zero with { NewCustomers = periodCustomers.NewCustomers, ReturningCustomers = periodCustomers.ReturningCustomers };

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
        var (firstDay, endDay) = (SellerReportMath.FirstDay(firstMonthKey), SellerReportMath.FirstDay(currentMonthKey + 1));
        var from = ChinaTime.StartOf(firstDay);
        var end = ChinaTime.StartOf(endDay);

        // From customer_day_shops (Data/Reports/SaleRollups.cs): the cohort customers' orders and revenue by the day of
        // their first order and the day of each order, each cohort customer counted once on their first order's day.
        // Month keys are months since year 0 of the China wall-clock time (SellerReportMath.MonthKey); a (cohort, month)
        // shows when the cohort's customers had an order in it.
        var revenue = await db.Database.SqlQuery<RevenueSums>($"""
            SELECT (extract(year FROM r.first_day) * 12 + extract(month FROM r.first_day) - 1)::bigint AS key,
                   ((extract(year FROM r.day) * 12 + extract(month FROM r.day))
                    - (extract(year FROM r.first_day) * 12 + extract(month FROM r.first_day)))::int AS month_offset,
                   sum(r.cohort_customers)::bigint AS customers,
                   sum(r.cohort_net_fen) AS fen
            FROM customer_day_shops r
            WHERE r.shop_id = ANY({shopIds}) AND r.first_day >= {firstDay} AND r.first_day < {endDay}
            GROUP BY 1, 2
            HAVING sum(r.cohort_orders) > 0
            """).ToListAsync(ct);

        // The commission on the cohort customers' first orders, at what it is worth now (kept on the first order's day).
        var commissions = await db.Database.SqlQuery<Sum>($"""
            SELECT (extract(year FROM r.first_day) * 12 + extract(month FROM r.first_day) - 1)::bigint AS key,
                   sum(r.cohort_first_commission_fen) AS fen
            FROM customer_day_shops r
            WHERE r.shop_id = ANY({shopIds}) AND r.first_day >= {firstDay} AND r.first_day < {endDay} AND r.day = r.first_day
            GROUP BY 1
            """).ToListAsync(ct);

        var cpc = await db.Database.SqlQuery<Sum>($"""
            SELECT (extract(year FROM ch.charged_at AT TIME ZONE {offset}) * 12 + extract(month FROM ch.charged_at AT TIME ZONE {offset}) - 1)::bigint AS key,
                   sum(ch.price_fen) AS fen
            FROM cpc_charges ch
            JOIN campaigns ca ON ca.id = ch.campaign_id
            WHERE ca.shop_id = ANY({shopIds}) AND ch.charged_at >= {from} AND ch.charged_at < {end} AND ch.voided_at IS NULL
            GROUP BY 1
            """).ToListAsync(ct);

        var commissionByMonth = commissions.ToDictionary(c => c.Key, c => Money.OfSum(c.Fen));
        var cpcByMonth = cpc.ToDictionary(c => c.Key, c => Money.OfSum(c.Fen));
        var months = revenue.Select(r => r.Key).Concat(cpcByMonth.Keys).Distinct().Select(key => new CohortMonth(
            (int)key,
            revenue.Where(r => r.Key == key && r.MonthOffset == 0).Sum(r => r.Customers),
            commissionByMonth.GetValueOrDefault(key),
            cpcByMonth.GetValueOrDefault(key),
            revenue.Where(r => r.Key == key).ToDictionary(r => r.MonthOffset, r => Money.OfSum(r.Fen))));
        return SellerReportMath.Cohorts(months, currentMonthKey);
    }

    private static Money Total(IEnumerable<SellerMetrics> all, Func<SellerMetrics, Money> pick) => all.Aggregate(Money.Zero, (sum, m) => sum + pick(m));
}
