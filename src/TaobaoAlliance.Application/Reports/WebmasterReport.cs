using System.Globalization;
using Microsoft.EntityFrameworkCore;
using TaobaoAlliance.Application.Commissions;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Data;
using TaobaoAlliance.Data.Commissions;

namespace TaobaoAlliance.Application.Reports;

/// <summary>What a webmaster's report rows are grouped by.</summary>
public enum ReportGrouping { Day, Site, Zone, Item, Sub1 }

/// <summary>
/// A webmaster's numbers for one row of a report (a day, site, zone or item) or for a whole period.
/// Commission is the webmaster's share plus any subsidy, after refunds.
/// </summary>
public sealed record ReportMetrics(
    long ValidClicks,
    long InvalidClicks,
    long Orders,
    Money Gmv,
    Money EstimatedCommission,
    Money SettledCommission,
    Money CpcEarnings)
{
    public static readonly ReportMetrics Zero = new(0, 0, 0, Money.Zero, Money.Zero, Money.Zero, Money.Zero);

    /// <summary>Orders per valid click; none when there were no valid clicks.</summary>
    public decimal? ConversionRate => ValidClicks == 0 ? null : (decimal)Orders / ValidClicks;

    /// <summary>Earnings per click: estimated commission per valid click, rounded half away from zero to whole fen.</summary>
    public Money? Epc => ValidClicks == 0
        ? null
        : new Money((long)Math.Round((decimal)EstimatedCommission.Fen / ValidClicks, MidpointRounding.AwayFromZero));

    public bool IsEmpty => this == Zero;

    public static ReportMetrics operator +(ReportMetrics a, ReportMetrics b) => new(
        a.ValidClicks + b.ValidClicks, a.InvalidClicks + b.InvalidClicks, a.Orders + b.Orders, a.Gmv + b.Gmv,
        a.EstimatedCommission + b.EstimatedCommission, a.SettledCommission + b.SettledCommission, a.CpcEarnings + b.CpcEarnings);

    public static ReportMetrics Sum(IEnumerable<ReportMetrics> all) => all.Aggregate(Zero, (sum, m) => sum + m);
}

/// <summary>
/// One row of a report: its key (a day number or a site, zone or item id; by sub1, the row's place), what to call it
/// (by sub1: the value, empty for clicks without one), and its numbers.
/// </summary>
public sealed record ReportRow(long Key, string Label, ReportMetrics Metrics)
{
    /// <summary>The day of a day row.</summary>
    public DateOnly Day => ReportDays.FromKey(Key);
}

/// <summary>
/// The webmaster's reports, always for one webmaster only. Every number hangs off the click that
/// earned it: orders, GMV and commission count under the site, zone and item of the click that won
/// the order, on the day the order was paid; clicks and CPC earnings on the day of the click.
/// Days are China days (<see cref="ReportDays"/>).
/// </summary>
public sealed class WebmasterReport(AllianceDbContext db)
{
    private sealed record ClickSums(long Key, long Valid, long Invalid);
    private sealed record OrderSums(long Key, long Orders, decimal GmvFen);
    private sealed record CommissionSums(long Key, decimal EstimatedFen, decimal SettledFen);
    private sealed record RefundedCommission(long Key, string State, long BaseFen, long RefundedBaseFen, int RateBp, int PlatformFeeBp,
        int SubsidyBonusBp, long SubsidyFen);
    private sealed record CpcSums(long Key, decimal ShareFen);

    /// <summary>The webmaster's numbers in the period by row key (only keys with some activity).</summary>
    public async Task<IReadOnlyDictionary<long, ReportMetrics>> MetricsAsync(long webmasterId, ReportPeriod period, ReportGrouping grouping,
        CancellationToken ct = default)
    {
        var dim = (int)grouping;
        var offset = ChinaTime.Offset;
        var start = period.Start;
        var end = period.End;
        var rows = new Dictionary<long, ReportMetrics>();
        void Add(long key, Func<ReportMetrics, ReportMetrics> change) => rows[key] = change(rows.GetValueOrDefault(key, ReportMetrics.Zero));

        // Money is summed as numeric (PostgreSQL's sum of bigint), never cast back to bigint in SQL: a total
        // beyond a bigint failed the whole page. Column aliases are snake_case: the naming convention maps the row records' properties that way.
        // The key is computed in SQL so PostgreSQL groups and only the groups travel. The CASE is on a
        // parameter (never on text put into the SQL); day keys are days since 1970-01-01 in China time.
        // Clicks come from the day rollups (Data/Reports/ClickRollups.cs), never the raw clicks: the period is whole
        // China days, the rollups' own unit. Items have their own rollup, to keep the site/zone one small.
        var fromDay = period.From;
        var toDay = period.To;
        var clicks = grouping == ReportGrouping.Item
            ? await db.Database.SqlQuery<ClickSums>($"""
                SELECT r.item_id AS key, sum(r.valid)::bigint AS valid, sum(r.invalid)::bigint AS invalid
                FROM click_day_webmaster_items r
                WHERE r.webmaster_id = {webmasterId} AND r.day >= {fromDay} AND r.day <= {toDay}
                GROUP BY 1
                """).ToListAsync(ct)
            : await db.Database.SqlQuery<ClickSums>($"""
                SELECT CASE {dim} WHEN 0 THEN (r.day - DATE '1970-01-01')::bigint WHEN 1 THEN r.site_id ELSE r.zone_id END AS key,
                       sum(r.valid)::bigint AS valid, sum(r.invalid)::bigint AS invalid
                FROM click_day_sites r
                WHERE r.webmaster_id = {webmasterId} AND r.day >= {fromDay} AND r.day <= {toDay}
                GROUP BY 1
                """).ToListAsync(ct);
        foreach (var c in clicks) Add(c.Key, m => m with { ValidClicks = c.Valid, InvalidClicks = c.Invalid });

        if (grouping == ReportGrouping.Day)
        {
            // By day everything comes from the day rollups (Data/Reports/SaleRollups.cs), kept by the database as orders,
            // refunds and commission states change: GMV net of refunds, and commissions at what they are worth now.
            var orderDays = await db.OrderDayWebmasters.AsNoTracking()
                .Where(r => r.WebmasterId == webmasterId && r.Day >= fromDay && r.Day <= toDay)
                .Select(r => new { r.Day, r.Orders, r.GmvFen }).ToListAsync(ct);
            foreach (var o in orderDays) Add(ReportDays.KeyOf(o.Day), m => m with { Orders = o.Orders, Gmv = Money.OfSum(o.GmvFen) });
            var commissionDays = await db.CommissionDayWebmasters.AsNoTracking()
                .Where(r => r.WebmasterId == webmasterId && r.Day >= fromDay && r.Day <= toDay)
                .Select(r => new { r.Day, r.EstimatedFen, r.SettledFen }).ToListAsync(ct);
            foreach (var c in commissionDays)
            {
                Add(ReportDays.KeyOf(c.Day), m => m with { EstimatedCommission = Money.OfSum(c.EstimatedFen), SettledCommission = Money.OfSum(c.SettledFen) });
            }
        }
        else
        {
            await AddByClickAsync(webmasterId, dim, start, end, Add, ct);
        }

        // By day a charge needs nothing of its click, so none is looked up.
        var cpc = grouping == ReportGrouping.Day
            ? await db.Database.SqlQuery<CpcSums>($"""
                SELECT ((ch.charged_at AT TIME ZONE {offset})::date - DATE '1970-01-01')::bigint AS key, sum(ch.webmaster_share_fen) AS share_fen
                FROM cpc_charges ch
                WHERE ch.webmaster_id = {webmasterId} AND ch.charged_at >= {start} AND ch.charged_at < {end} AND ch.voided_at IS NULL
                GROUP BY 1
                """).ToListAsync(ct)
            : await db.Database.SqlQuery<CpcSums>($"""
                SELECT CASE {dim} WHEN 1 THEN c.site_id WHEN 2 THEN c.zone_id ELSE c.item_id END AS key,
                       sum(ch.webmaster_share_fen) AS share_fen
                FROM cpc_charges ch
                JOIN clicks c ON c.id = ch.click_id
                WHERE ch.webmaster_id = {webmasterId} AND ch.charged_at >= {start} AND ch.charged_at < {end} AND ch.voided_at IS NULL
                GROUP BY 1
                """).ToListAsync(ct);
        foreach (var c in cpc) Add(c.Key, m => m with { CpcEarnings = Money.OfSum(c.ShareFen) });

        // A refunded-away commission or a zero-price repeat click can leave a key with nothing to show.
        return rows.Where(r => !r.Value.IsEmpty).ToDictionary();
    }

    /// <summary>
    /// Orders and commissions under the site, zone or item of the click that won them (<paramref name="dim"/>: the
    /// grouping), read from the period's orders and commissions through their indexes, each click by its key.
    /// </summary>
    private async Task AddByClickAsync(long webmasterId, int dim, DateTimeOffset start, DateTimeOffset end,
        Action<long, Func<ReportMetrics, ReportMetrics>> add, CancellationToken ct)
    {
        // GMV is what the buyer paid for the attributed orders, less what was refunded. The webmaster's orders are found
        // by orders.attributed_webmaster_id (kept by the database from the attributed click, migration ReportRollups).
        var orders = await db.Database.SqlQuery<OrderSums>($"""
            SELECT CASE {dim} WHEN 1 THEN c.site_id WHEN 2 THEN c.zone_id ELSE c.item_id END AS key,
                   count(*) AS orders,
                   coalesce(sum(l.paid_fen), 0)::numeric AS gmv_fen
            FROM orders o
            JOIN clicks c ON c.id = o.attributed_click_id
            CROSS JOIN LATERAL (SELECT sum(ol.paid_fen - ol.refunded_fen) AS paid_fen FROM order_lines ol WHERE ol.order_id = o.id) l
            WHERE o.attributed_webmaster_id = {webmasterId} AND o.paid_at >= {start} AND o.paid_at < {end}
            GROUP BY 1
            """).ToListAsync(ct);
        foreach (var o in orders) add(o.Key, m => m with { Orders = o.Orders, Gmv = Money.OfSum(o.GmvFen) });

        // A commission's created_at is its order's paid_at. Commissions never refunded are worth their
        // stored amounts, so the database sums them; refunded ones are recomputed below by the rules.
        var commissions = await db.Database.SqlQuery<CommissionSums>($"""
            SELECT CASE {dim} WHEN 1 THEN c.site_id WHEN 2 THEN c.zone_id ELSE c.item_id END AS key,
                   coalesce(sum(cm.webmaster_fen::numeric + cm.subsidy_fen) FILTER (WHERE cm.state IN ('Pending', 'Settled')), 0) AS estimated_fen,
                   coalesce(sum(cm.webmaster_fen::numeric + cm.subsidy_fen) FILTER (WHERE cm.state = 'Settled'), 0) AS settled_fen
            FROM commissions cm
            JOIN clicks c ON c.id = cm.click_id
            WHERE cm.webmaster_id = {webmasterId} AND cm.created_at >= {start} AND cm.created_at < {end} AND cm.refunded_base_fen = 0
            GROUP BY 1
            """).ToListAsync(ct);
        foreach (var c in commissions)
        {
            add(c.Key, m => m with
            {
                EstimatedCommission = m.EstimatedCommission + Money.OfSum(c.EstimatedFen),
                SettledCommission = m.SettledCommission + Money.OfSum(c.SettledFen),
            });
        }

        var refunded = await db.Database.SqlQuery<RefundedCommission>($"""
            SELECT CASE {dim} WHEN 1 THEN c.site_id WHEN 2 THEN c.zone_id ELSE c.item_id END AS key,
                   cm.state AS state, cm.base_fen AS base_fen, cm.refunded_base_fen AS refunded_base_fen, cm.rate_bp AS rate_bp,
                   cm.platform_fee_bp AS platform_fee_bp, cm.subsidy_bonus_bp AS subsidy_bonus_bp, cm.subsidy_fen AS subsidy_fen
            FROM commissions cm
            JOIN clicks c ON c.id = cm.click_id
            WHERE cm.webmaster_id = {webmasterId} AND cm.created_at >= {start} AND cm.created_at < {end} AND cm.refunded_base_fen > 0
              AND cm.state IN ('Pending', 'Settled')
            """).ToListAsync(ct);
        foreach (var r in refunded)
        {
            add(r.Key, StillWorth(r.State, new Commission
            {
                BaseFen = r.BaseFen, RefundedBaseFen = r.RefundedBaseFen, RateBp = r.RateBp,
                PlatformFeeBp = r.PlatformFeeBp, SubsidyBonusBp = r.SubsidyBonusBp, SubsidyFen = r.SubsidyFen,
            }));
        }
    }

    /// <summary>Adds what a partly refunded commission is still worth to the webmaster, as estimated and, once settled, as settled.</summary>
    private static Func<ReportMetrics, ReportMetrics> StillWorth(string state, Commission commission)
    {
        commission.State = Enum.Parse<CommissionState>(state);
        var worth = commission.Effective().WebmasterTotal;
        return m => m with
        {
            EstimatedCommission = m.EstimatedCommission + worth,
            SettledCommission = commission.State == CommissionState.Settled ? m.SettledCommission + worth : m.SettledCommission,
        };
    }

    private sealed record SubClickSums(string Key, long Valid, long Invalid);
    private sealed record SubSaleSums(string Key, long Orders, decimal GmvFen, decimal EstimatedFen, decimal SettledFen);
    private sealed record SubRefunded(string Key, string State, long BaseFen, long RefundedBaseFen, int RateBp, int PlatformFeeBp,
        int SubsidyBonusBp, long SubsidyFen);
    private sealed record SubCpcSums(string Key, decimal ShareFen);

    /// <summary>
    /// The sub-id view of the report: grouped by day, site or sub1, optionally only the clicks and sales with
    /// <paramref name="sub1"/>. Clicks come from the click_day_subs rollup (webmaster, day, site, sub1; sharded like the
    /// others), sales from the commissions, which carry their click's sub-ids (no raw click is read for them): orders
    /// are the orders with a commission, GMV their commissioned lines net of refunds. Row keys are text (a day number,
    /// a site id, or the sub1 value).
    /// </summary>
    public async Task<IReadOnlyDictionary<string, ReportMetrics>> SubMetricsAsync(long webmasterId, ReportPeriod period, ReportGrouping grouping,
        string? sub1, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(period);
        if (grouping is not (ReportGrouping.Day or ReportGrouping.Site or ReportGrouping.Sub1))
        {
            throw new ArgumentOutOfRangeException(nameof(grouping), grouping, "Sub-id reports group by day, site or sub1.");
        }
        var dim = grouping == ReportGrouping.Day ? 0 : grouping == ReportGrouping.Site ? 1 : 2;
        var filtered = !string.IsNullOrEmpty(sub1);
        var value = sub1 ?? "";
        var offset = ChinaTime.Offset;
        var (fromDay, toDay, start, end) = (period.From, period.To, period.Start, period.End);
        var rows = new Dictionary<string, ReportMetrics>(StringComparer.Ordinal);
        void Add(string key, Func<ReportMetrics, ReportMetrics> change) => rows[key] = change(rows.GetValueOrDefault(key, ReportMetrics.Zero));

        var clicks = await db.Database.SqlQuery<SubClickSums>($"""
            SELECT CASE {dim} WHEN 0 THEN (r.day - DATE '1970-01-01')::text WHEN 1 THEN r.site_id::text ELSE r.sub1 END AS key,
                   sum(r.valid)::bigint AS valid, sum(r.invalid)::bigint AS invalid
            FROM click_day_subs r
            WHERE r.webmaster_id = {webmasterId} AND r.day >= {fromDay} AND r.day <= {toDay} AND (NOT {filtered} OR r.sub1 = {value})
            GROUP BY 1
            """).ToListAsync(ct);
        foreach (var c in clicks) Add(c.Key, m => m with { ValidClicks = c.Valid, InvalidClicks = c.Invalid });

        // A commission's created_at is its order's paid_at; never-refunded commissions are worth their stored amounts.
        var sales = await db.Database.SqlQuery<SubSaleSums>($"""
            SELECT CASE {dim} WHEN 0 THEN ((cm.created_at AT TIME ZONE {offset})::date - DATE '1970-01-01')::text
                              WHEN 1 THEN cm.site_id::text ELSE coalesce(cm.sub1, '') END AS key,
                   count(DISTINCT cm.order_id) AS orders,
                   coalesce(sum(cm.base_fen - cm.refunded_base_fen) FILTER (WHERE cm.state IN ('Pending', 'Settled')), 0)::numeric AS gmv_fen,
                   coalesce(sum(cm.webmaster_fen::numeric + cm.subsidy_fen) FILTER (WHERE cm.state IN ('Pending', 'Settled') AND cm.refunded_base_fen = 0), 0) AS estimated_fen,
                   coalesce(sum(cm.webmaster_fen::numeric + cm.subsidy_fen) FILTER (WHERE cm.state = 'Settled' AND cm.refunded_base_fen = 0), 0) AS settled_fen
            FROM commissions cm
            WHERE cm.webmaster_id = {webmasterId} AND cm.created_at >= {start} AND cm.created_at < {end}
              AND (NOT {filtered} OR cm.sub1 = {value})
            GROUP BY 1
            """).ToListAsync(ct);
        foreach (var o in sales)
        {
            Add(o.Key, m => m with
            {
                Orders = o.Orders, Gmv = Money.OfSum(o.GmvFen),
                EstimatedCommission = Money.OfSum(o.EstimatedFen), SettledCommission = Money.OfSum(o.SettledFen),
            });
        }

        var refunded = await db.Database.SqlQuery<SubRefunded>($"""
            SELECT CASE {dim} WHEN 0 THEN ((cm.created_at AT TIME ZONE {offset})::date - DATE '1970-01-01')::text
                              WHEN 1 THEN cm.site_id::text ELSE coalesce(cm.sub1, '') END AS key,
                   cm.state AS state, cm.base_fen AS base_fen, cm.refunded_base_fen AS refunded_base_fen, cm.rate_bp AS rate_bp,
                   cm.platform_fee_bp AS platform_fee_bp, cm.subsidy_bonus_bp AS subsidy_bonus_bp, cm.subsidy_fen AS subsidy_fen
            FROM commissions cm
            WHERE cm.webmaster_id = {webmasterId} AND cm.created_at >= {start} AND cm.created_at < {end} AND cm.refunded_base_fen > 0
              AND cm.state IN ('Pending', 'Settled') AND (NOT {filtered} OR cm.sub1 = {value})
            """).ToListAsync(ct);
        foreach (var r in refunded)
        {
            Add(r.Key, StillWorth(r.State, new Commission
            {
                BaseFen = r.BaseFen, RefundedBaseFen = r.RefundedBaseFen, RateBp = r.RateBp,
                PlatformFeeBp = r.PlatformFeeBp, SubsidyBonusBp = r.SubsidyBonusBp, SubsidyFen = r.SubsidyFen,
            }));
        }

        // CPC charges are few beside clicks: each is matched to its click by id for the click's sub1, as the site report does.
        var cpc = await db.Database.SqlQuery<SubCpcSums>($"""
            SELECT CASE {dim} WHEN 0 THEN ((ch.charged_at AT TIME ZONE {offset})::date - DATE '1970-01-01')::text
                              WHEN 1 THEN c.site_id::text ELSE coalesce(c.sub1, '') END AS key,
                   sum(ch.webmaster_share_fen) AS share_fen
            FROM cpc_charges ch
            JOIN clicks c ON c.id = ch.click_id
            WHERE ch.webmaster_id = {webmasterId} AND ch.charged_at >= {start} AND ch.charged_at < {end}
              AND (NOT {filtered} OR c.sub1 = {value})
            GROUP BY 1
            """).ToListAsync(ct);
        foreach (var c in cpc) Add(c.Key, m => m with { CpcEarnings = Money.OfSum(c.ShareFen) });

        return rows.Where(r => !r.Value.IsEmpty).ToDictionary(StringComparer.Ordinal);
    }

    /// <summary>
    /// The sub-id report's rows (<see cref="SubMetricsAsync"/>): days newest first; sites with their names and sub1
    /// values (empty: clicks without one) by estimated commission, then valid clicks.
    /// </summary>
    public async Task<IReadOnlyList<ReportRow>> SubRowsAsync(long webmasterId, ReportPeriod period, ReportGrouping grouping, string? sub1,
        CancellationToken ct = default)
    {
        var metrics = await SubMetricsAsync(webmasterId, period, grouping, sub1, ct);
        if (grouping == ReportGrouping.Day)
        {
            return [.. metrics.Select(m => (Key: long.Parse(m.Key, CultureInfo.InvariantCulture), m.Value)).OrderByDescending(m => m.Key)
                .Select(m => new ReportRow(m.Key, ReportDays.FromKey(m.Key).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), m.Value))];
        }
        IReadOnlyList<ReportRow> rows;
        if (grouping == ReportGrouping.Site)
        {
            var ids = metrics.Keys.Select(k => long.Parse(k, CultureInfo.InvariantCulture)).ToArray();
            var labels = await db.Sites.Where(s => s.WebmasterId == webmasterId && ids.Contains(s.Id)).Select(s => new { s.Id, s.Name })
                .ToDictionaryAsync(n => n.Id, n => n.Name, ct);
            rows = [.. metrics.Select(m =>
            {
                var id = long.Parse(m.Key, CultureInfo.InvariantCulture);
                return new ReportRow(id, labels.GetValueOrDefault(id) ?? "#" + m.Key, m.Value);
            })];
        }
        else
        {
            rows = [.. metrics.Select(m => new ReportRow(0, m.Key, m.Value))];
        }
        var ordered = rows.OrderByDescending(r => r.Metrics.EstimatedCommission).ThenByDescending(r => r.Metrics.ValidClicks)
            .ThenBy(r => r.Label, StringComparer.Ordinal).ToList();
        return grouping == ReportGrouping.Sub1 ? [.. ordered.Select((r, i) => r with { Key = i + 1 })] : ordered;
    }

    /// <summary>
    /// The report's rows with their names (a site's and a zone's name, an item's title in the reader's
    /// language, Chinese when <paramref name="chinese"/>): days newest first, the rest by estimated commission, then valid clicks.
    /// </summary>
    public async Task<IReadOnlyList<ReportRow>> RowsAsync(long webmasterId, ReportPeriod period, ReportGrouping grouping, bool chinese,
        CancellationToken ct = default)
    {
        if (grouping == ReportGrouping.Sub1) return await SubRowsAsync(webmasterId, period, grouping, null, ct);
        var metrics = await MetricsAsync(webmasterId, period, grouping, ct);
        if (grouping == ReportGrouping.Day)
        {
            return [.. metrics.OrderByDescending(m => m.Key)
                .Select(m => new ReportRow(m.Key, ReportDays.FromKey(m.Key).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), m.Value))];
        }

        var ids = metrics.Keys.ToArray();
        // Projected before the dictionary is built: its selectors run in memory, where navigations are not loaded.
        var names = grouping switch
        {
            ReportGrouping.Site => db.Sites.Where(s => s.WebmasterId == webmasterId && ids.Contains(s.Id))
                .Select(s => new { s.Id, s.Name }),
            ReportGrouping.Zone => db.AdZones.Where(z => z.Site.WebmasterId == webmasterId && ids.Contains(z.Id))
                .Select(z => new { z.Id, Name = z.Site.Name + " › " + z.Name }),
            _ => db.Items.Where(i => ids.Contains(i.Id)).Select(i => new { i.Id, Name = chinese ? i.TitleZh : i.TitleEn }),
        };
        var labels = await names.ToDictionaryAsync(n => n.Id, n => n.Name, ct);
        return [.. metrics
            .Select(m => new ReportRow(m.Key, labels.GetValueOrDefault(m.Key) ?? "#" + m.Key.ToString(CultureInfo.InvariantCulture), m.Value))
            .OrderByDescending(r => r.Metrics.EstimatedCommission)
            .ThenByDescending(r => r.Metrics.ValidClicks)
            .ThenBy(r => r.Label, StringComparer.CurrentCulture)
            .ThenBy(r => r.Key)];
    }

    /// <summary>Every day of the period with its numbers, zero days included (for the chart and the dashboard).</summary>
    public async Task<IReadOnlyList<ReportRow>> DailyAsync(long webmasterId, ReportPeriod period, CancellationToken ct = default)
    {
        var metrics = await MetricsAsync(webmasterId, period, ReportGrouping.Day, ct);
        return [.. period.EachDay().Select(day =>
        {
            var key = ReportDays.KeyOf(day);
            return new ReportRow(key, day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), metrics.GetValueOrDefault(key, ReportMetrics.Zero));
        })];
    }

    /// <summary>
    /// The webmaster's invalid clicks of the period by reason (<see cref="Attribution.Clicks.InvalidClickReasons"/>), most
    /// first: from the per-site reason rollup (click_day_reasons, read by its (site, day) index), never the raw clicks.
    /// </summary>
    public async Task<IReadOnlyList<InvalidClickCount>> InvalidReasonsAsync(long webmasterId, ReportPeriod period, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(period);
        var (fromDay, toDay) = (period.From, period.To);
        return await db.Database.SqlQuery<InvalidClickCount>($"""
            SELECT r.reason, sum(r.clicks)::bigint AS clicks
            FROM sites s JOIN click_day_reasons r ON r.site_id = s.id
            WHERE s.webmaster_id = {webmasterId} AND r.day >= {fromDay} AND r.day <= {toDay} AND r.reason <> ''
            GROUP BY 1 HAVING sum(r.clicks) > 0
            ORDER BY 2 DESC, 1
            """).ToListAsync(ct);
    }
}

/// <summary>How many of a period's clicks were invalid for one reason.</summary>
public sealed record InvalidClickCount(string Reason, long Clicks);
