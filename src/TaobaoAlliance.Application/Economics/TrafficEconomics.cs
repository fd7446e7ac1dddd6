using Microsoft.EntityFrameworkCore;
using TaobaoAlliance.Application.Reports;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Data;

namespace TaobaoAlliance.Application.Economics;

/// <summary>What one row of the traffic economics is grouped by.</summary>
public enum EconomicsGrouping { Day, Site, Zone, Campaign }

/// <summary>
/// A traffic economics question: a period of China days, grouped by day, site, zone or campaign, optionally within
/// one site or one zone (the drill-down: all sites → a site's zones → a zone's campaigns).
/// </summary>
public sealed record EconomicsQuery(ReportPeriod Period, EconomicsGrouping By, long? SiteId = null, long? ZoneId = null)
{
    /// <summary>
    /// Commissions are known per site and day, not per zone or campaign (a CPS sale is not a campaign's): the CPS fee and
    /// the subsidy are only shown where the row and the scope are a day or a site.
    /// </summary>
    public bool HasCps => ZoneId is null && By is EconomicsGrouping.Day or EconomicsGrouping.Site;
}

/// <summary>
/// The platform's economics of some traffic. Bought is what the paid clicks cost the platform (the webmasters' share),
/// sold what sellers paid for them; the margin is the difference. CPS fee and subsidy cost are null where unknown.
/// </summary>
public sealed record EconomicsMetrics(long Impressions, long PaidClicks, Money Bought, Money Sold, Money Margin, Money? CpsFee, Money? Subsidy)
{
    public static readonly EconomicsMetrics Zero = new(0, 0, Money.Zero, Money.Zero, Money.Zero, null, null);

    /// <summary>Margin over sold, or null when nothing was sold.</summary>
    public decimal? MarginRate => Sold.Fen == 0 ? null : (decimal)Margin.Fen / Sold.Fen;

    public EconomicsMetrics Plus(EconomicsMetrics other)
    {
        ArgumentNullException.ThrowIfNull(other);
        static Money? Add(Money? a, Money? b) => a is null && b is null ? null : (a ?? Money.Zero) + (b ?? Money.Zero);
        return new(Impressions + other.Impressions, PaidClicks + other.PaidClicks, Bought + other.Bought, Sold + other.Sold,
            Margin + other.Margin, Add(CpsFee, other.CpsFee), Add(Subsidy, other.Subsidy));
    }
}

/// <summary>One row: a day (<see cref="Key"/> is <see cref="ReportDays.KeyOf"/>), a site, a zone or a campaign (its id).</summary>
public sealed record EconomicsRow(long Key, string Label, EconomicsMetrics Metrics)
{
    public DateOnly Day => ReportDays.FromKey(Key);
}

/// <summary>The rows asked for, their total, and the scope's figures for every day of the period (the chart).</summary>
public sealed record EconomicsReport(EconomicsQuery Query, IReadOnlyList<EconomicsRow> Rows, EconomicsMetrics Total, IReadOnlyList<EconomicsRow> Days,
    string? SiteName, string? ZoneName);

/// <summary>
/// The admin's traffic economics, read from the rollups only (Data/Reports/EconomicsRollups.cs: cpc_day_zones,
/// commission_day_sites), so a period costs rows per day and key, never a scan of clicks or charges.
/// </summary>
public sealed class TrafficEconomics(AllianceDbContext db)
{
    private sealed record Sums(long Key, long Impressions, long PaidClicks, decimal Bought, decimal Sold, decimal Margin);
    private sealed record CpsSums(long Key, decimal Fee, decimal Subsidy);

    public async Task<EconomicsReport> ReadAsync(EconomicsQuery query, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var byKey = await SumsAsync(query, query.By, ct);
        var days = query.By == EconomicsGrouping.Day ? byKey : await SumsAsync(query, EconomicsGrouping.Day, ct);

        var labels = await LabelsAsync(query.By, byKey.Keys, ct);
        IEnumerable<long> keys = query.By == EconomicsGrouping.Day
            ? query.Period.EachDay().Select(ReportDays.KeyOf)
            : byKey.Keys.OrderBy(k => labels.GetValueOrDefault(k, ""), StringComparer.Ordinal).ThenBy(k => k);
        var rows = keys.Select(k => new EconomicsRow(k, query.By == EconomicsGrouping.Day
                ? ReportDays.FromKey(k).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)
                : labels.GetValueOrDefault(k, "#" + k.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            byKey.GetValueOrDefault(k, Empty(query)))).ToList();
        var chart = query.Period.EachDay().Select(ReportDays.KeyOf)
            .Select(k => new EconomicsRow(k, "", days.GetValueOrDefault(k, Empty(query)))).ToList();
        var total = rows.Aggregate(Empty(query), (sum, r) => sum.Plus(r.Metrics));

        string? siteName = null, zoneName = null;
        if (query.SiteId is { } siteId) siteName = await db.Sites.Where(s => s.Id == siteId).Select(s => s.Name).SingleOrDefaultAsync(ct);
        if (query.ZoneId is { } zoneId)
        {
            var zone = await db.AdZones.Where(z => z.Id == zoneId).Select(z => new { z.Name, z.SiteId, Site = z.Site.Name }).SingleOrDefaultAsync(ct);
            (zoneName, siteName) = (zone?.Name, zone?.Site ?? siteName);
        }
        return new EconomicsReport(query, rows, total, chart, siteName, zoneName);
    }

    private static EconomicsMetrics Empty(EconomicsQuery query) =>
        query.HasCps ? EconomicsMetrics.Zero with { CpsFee = Money.Zero, Subsidy = Money.Zero } : EconomicsMetrics.Zero;

    private async Task<Dictionary<long, EconomicsMetrics>> SumsAsync(EconomicsQuery query, EconomicsGrouping by, CancellationToken ct)
    {
        var (from, to) = (query.Period.From, query.Period.To);
        var (siteId, zoneId) = (query.SiteId, query.ZoneId);
        var key = by switch
        {
            EconomicsGrouping.Day => "(day - DATE '1970-01-01')::bigint",
            EconomicsGrouping.Site => "site_id",
            EconomicsGrouping.Zone => "zone_id",
            _ => "campaign_id",
        };
        // The grouping column is one of four fixed names, never input; every value is a parameter.
#pragma warning disable EF1002
        var cpc = await db.Database.SqlQueryRaw<Sums>($"""
            SELECT {key} AS key, sum(impressions)::bigint AS impressions, sum(paid_clicks)::bigint AS paid_clicks,
                   sum(bought_fen) AS bought, sum(sold_fen) AS sold, sum(margin_fen) AS margin
            FROM cpc_day_zones
            WHERE day >= @from AND day <= @to AND (@site::bigint IS NULL OR site_id = @site) AND (@zone::bigint IS NULL OR zone_id = @zone)
            GROUP BY 1
            """,
            new Npgsql.NpgsqlParameter("from", from), new Npgsql.NpgsqlParameter("to", to),
            new Npgsql.NpgsqlParameter("site", NpgsqlTypes.NpgsqlDbType.Bigint) { Value = (object?)siteId ?? DBNull.Value },
            new Npgsql.NpgsqlParameter("zone", NpgsqlTypes.NpgsqlDbType.Bigint) { Value = (object?)zoneId ?? DBNull.Value })
            .ToListAsync(ct);
#pragma warning restore EF1002
        var result = cpc.ToDictionary(s => s.Key, s => new EconomicsMetrics(s.Impressions, s.PaidClicks, Money.OfSum(s.Bought), Money.OfSum(s.Sold),
            Money.OfSum(s.Margin), null, null));
        var cpsQuery = query with { By = by };
        if (!cpsQuery.HasCps) return result;

        var rollup = db.CommissionDaySites.Where(r => r.Day >= from && r.Day <= to && (siteId == null || r.SiteId == siteId));
        var cps = by == EconomicsGrouping.Day
            ? (await rollup.GroupBy(r => r.Day).Select(g => new { g.Key, Fee = g.Sum(r => r.PlatformFeeFen), Subsidy = g.Sum(r => r.SubsidyFen) }).ToListAsync(ct))
                .Select(x => new CpsSums(ReportDays.KeyOf(x.Key), x.Fee, x.Subsidy)).ToList()
            : await rollup.GroupBy(r => r.SiteId).Select(g => new CpsSums(g.Key, g.Sum(r => r.PlatformFeeFen), g.Sum(r => r.SubsidyFen))).ToListAsync(ct);
        foreach (var k in result.Keys.ToList()) result[k] = result[k] with { CpsFee = Money.Zero, Subsidy = Money.Zero };
        foreach (var c in cps)
        {
            var m = result.GetValueOrDefault(c.Key, EconomicsMetrics.Zero);
            result[c.Key] = m with { CpsFee = Money.OfSum(c.Fee), Subsidy = Money.OfSum(c.Subsidy) };
        }
        return result;
    }

    private async Task<Dictionary<long, string>> LabelsAsync(EconomicsGrouping by, IEnumerable<long> keys, CancellationToken ct)
    {
        var ids = keys.ToArray();
        return by switch
        {
            EconomicsGrouping.Site => await db.Sites.Where(s => ids.Contains(s.Id)).ToDictionaryAsync(s => s.Id, s => s.Name, ct),
            EconomicsGrouping.Zone => await db.AdZones.Where(z => ids.Contains(z.Id)).ToDictionaryAsync(z => z.Id, z => z.Name, ct),
            EconomicsGrouping.Campaign => await db.Campaigns.Where(c => ids.Contains(c.Id))
                .Select(c => new { c.Id, c.Name, Shop = c.Shop.NameEn }).ToDictionaryAsync(c => c.Id, c => c.Name + " (" + c.Shop + ")", ct),
            _ => [],
        };
    }
}
