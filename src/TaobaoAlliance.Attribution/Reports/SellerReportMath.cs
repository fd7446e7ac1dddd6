using System.Globalization;
namespace TaobaoAlliance.Attribution.Reports;

/// <summary>
/// What a seller's promotion cost and brought in over a day or a period. Spend is what the seller pays
/// the alliance: commission (after refunds) plus CPC clicks. Orders, GMV and refunds count only orders
/// the alliance brought (with an attributed click); GMV is what buyers paid less refunds.
/// </summary>
public sealed record SellerMetrics(
    Money CommissionSpend,
    Money CpcSpend,
    long AllianceOrders,
    Money AllianceGmv,
    Money Refunds,
    long NewCustomers,
    long ReturningCustomers)
{
    public static readonly SellerMetrics Zero = new(Money.Zero, Money.Zero, 0, Money.Zero, Money.Zero, 0, 0);

    public Money Spend => CommissionSpend + CpcSpend;

    /// <summary>Alliance GMV per yuan spent; none when nothing was spent.</summary>
    public decimal? Roi => SellerReportMath.Roi(AllianceGmv, Spend);

    public bool IsEmpty => this == Zero;
}

/// <summary>What a cohort month is made of, as the queries read it.</summary>
/// <param name="MonthKey">Months since year 0 (<see cref="SellerReportMath.MonthKey"/>).</param>
/// <param name="Customers">Customers whose first order in the shop, in this month, came through the alliance.</param>
/// <param name="FirstOrderCommission">Commission on those first orders, after refunds.</param>
/// <param name="CpcSpend">All CPC spend of the month.</param>
/// <param name="Revenue">Revenue of those customers in their shop by months since the cohort month (0 = the cohort month).</param>
public sealed record CohortMonth(int MonthKey, long Customers, Money FirstOrderCommission, Money CpcSpend, IReadOnlyDictionary<int, Money> Revenue);

/// <summary>A cohort row as shown: revenue per month since acquisition and the cumulative return on the acquisition cost.</summary>
public sealed record CohortRow(int MonthKey, long Customers, Money FirstOrderCommission, Money CpcSpend, IReadOnlyList<Money> Revenue,
    IReadOnlyList<decimal?> CumulativeReturn)
{
    public Money AcquisitionCost => FirstOrderCommission + CpcSpend;

    public string Label => SellerReportMath.MonthLabel(MonthKey);
}

/// <summary>The arithmetic of the seller's reports, apart from the queries so it can be checked by hand.</summary>
public static class SellerReportMath
{
    /// <summary>Return per yuan: <paramref name="revenue"/> ÷ <paramref name="cost"/>; null (shown "—") when nothing was spent.</summary>
    public static decimal? Roi(Money revenue, Money cost) => cost.Fen <= 0 ? null : (decimal)revenue.Fen / cost.Fen;

    public static int MonthKey(int year, int month) => (year * 12) + month - 1;

    public static int MonthKey(DateOnly day) => MonthKey(day.Year, day.Month);

    public static DateOnly FirstDay(int monthKey) => new(monthKey / 12, (monthKey % 12) + 1, 1);

    public static string MonthLabel(int monthKey) => FirstDay(monthKey).ToString("yyyy-MM", CultureInfo.InvariantCulture);

    /// <summary>
    /// The cohort table, oldest month first. Each row has one revenue cell per month from its cohort month
    /// to <paramref name="currentMonthKey"/> (later months have not happened), and per cell the cumulative
    /// revenue so far divided by the acquisition cost (null when the cost is zero).
    /// </summary>
    public static IReadOnlyList<CohortRow> Cohorts(IEnumerable<CohortMonth> months, int currentMonthKey)
    {
        ArgumentNullException.ThrowIfNull(months);
        var rows = new List<CohortRow>();
        foreach (var m in months.Where(m => m.MonthKey <= currentMonthKey).OrderBy(m => m.MonthKey))
        {
            var cost = m.FirstOrderCommission + m.CpcSpend;
            var revenue = new List<Money>();
            var returns = new List<decimal?>();
            var cumulative = Money.Zero;
            for (var k = 0; k <= currentMonthKey - m.MonthKey; k++)
            {
                var month = m.Revenue.GetValueOrDefault(k);
                cumulative += month;
                revenue.Add(month);
                returns.Add(Roi(cumulative, cost));
            }
            rows.Add(new CohortRow(m.MonthKey, m.Customers, m.FirstOrderCommission, m.CpcSpend, revenue, returns));
        }
        return rows;
    }
}
