using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using TaobaoAlliance.Application.Reports;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Attribution.Clicks;
using TaobaoAlliance.Web.Localization;

namespace TaobaoAlliance.Web.Api;

/// <summary>
/// <c>GET /api/v1/reports</c>: the webmaster Reports page's table (<see cref="WebmasterReport"/>, the same service): a period of
/// China days (the last 30 by default, at most 366) grouped by day, site, zone or item. Money in fen.
/// </summary>
public static class ReportsApi
{
    private static readonly DateOnly Earliest = new(2000, 1, 1), Latest = new(2099, 12, 31);

    public sealed record MetricsDto(long ValidClicks, long InvalidClicks, long Orders, long GmvFen, decimal? ConversionRate, long? EpcFen,
        long EstimatedCommissionFen, long SettledCommissionFen, long CpcEarningsFen)
    {
        public static MetricsDto Of(ReportMetrics m) => new(m.ValidClicks, m.InvalidClicks, m.Orders, m.Gmv.Fen, m.ConversionRate, m.Epc?.Fen,
            m.EstimatedCommission.Fen, m.SettledCommission.Fen, m.CpcEarnings.Fen);
    }

    /// <summary>
    /// A row: its key (a site, zone or item id; for a day, its date in <c>day</c>; by sub1, the value in <c>sub1</c>, empty
    /// for clicks without one), its label and its numbers.
    /// </summary>
    public sealed record ReportRowDto(long Key, string Label, DateOnly? Day, MetricsDto Metrics, string? Sub1 = null);

    /// <summary>The report; <c>sub1</c> is the filter asked for (only clicks and sales with that sub1), if any.</summary>
    public sealed record ReportDto(DateOnly From, DateOnly To, string Group, IReadOnlyList<ReportRowDto> Rows, MetricsDto Total, string? Sub1 = null);

    public static void MapReportsApi(this RouteGroupBuilder api) =>
        api.MapGet("/reports", GetAsync).RequireAuthorization(WebmasterApi.Policy).WithTags("Webmaster").WithName("GetReport")
            .WithSummary("Your report for a period (from, to: China dates; default the last 30 days) grouped by day, site, zone, item or sub1; sub1 filters by a sub-id")
            .ProducesProblem(400).ProducesProblem(401).ProducesProblem(429);

    private static async Task<Results<Ok<ReportDto>, ProblemHttpResult>> GetAsync(
        ClaimsPrincipal user, WebmasterReport report, TimeProvider clock, DateOnly? from, DateOnly? to, string? group, string? sub1,
        CancellationToken ct)
    {
        var grouping = ReportGrouping.Day;
        if (group is not null && !ApiQuery.TryParseName(group, out grouping))
        {
            return Bad("group must be one of: day, site, zone, item, sub1.");
        }
        if (!SubIds.IsAcceptable(sub1)) return Bad($"sub1 must be printable text of at most {SubIds.MaxLength} characters.");
        var filter = string.IsNullOrEmpty(sub1) ? null : sub1;
        if (filter is not null && grouping is ReportGrouping.Zone or ReportGrouping.Item)
        {
            return Bad("A sub1 filter works with group day, site or sub1.");
        }
        // The page's period rules: a missing end is today (or 30 days after the start), a missing start 30 days before the end.
        var today = ChinaTime.Today(clock);
        var end = to ?? (from is { } f && f.AddDays(29) < today ? f.AddDays(29) : today);
        var start = from ?? end.AddDays(-29);
        if (start < Earliest || end > Latest) return Bad("Choose dates between 2000-01-01 and 2099-12-31.");
        if (start > end) return Bad("to must be on or after from.");
        var period = new ReportPeriod(start, end);
        if (period.Days > ReportPeriod.MaxDays) return Bad($"A report covers at most {ReportPeriod.MaxDays} days; this period has {period.Days}.");

        var rows = filter is not null
            ? await report.SubRowsAsync(user.WebmasterId(), period, grouping, filter, ct)
            : await report.RowsAsync(user.WebmasterId(), period, grouping, CultureInfo.CurrentUICulture.IsChinese(), ct);
        return TypedResults.Ok(new ReportDto(start, end, grouping.ToString().ToLowerInvariant(),
            [.. rows.Select(r => new ReportRowDto(r.Key, r.Label, grouping == ReportGrouping.Day ? r.Day : null, MetricsDto.Of(r.Metrics),
                grouping == ReportGrouping.Sub1 ? r.Label : null))],
            MetricsDto.Of(ReportMetrics.Sum(rows.Select(r => r.Metrics))), filter));
    }

    private static ProblemHttpResult Bad(string detail) => TypedResults.Problem(statusCode: 400, title: "Bad report query", detail: detail);
}
