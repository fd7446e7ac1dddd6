using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using TaobaoAlliance.Application.Reports;
using TaobaoAlliance.Attribution;
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

    /// <summary>A row: its key (a site, zone or item id; for a day, its date in <c>day</c>), its label and its numbers.</summary>
    public sealed record ReportRowDto(long Key, string Label, DateOnly? Day, MetricsDto Metrics);

    public sealed record ReportDto(DateOnly From, DateOnly To, string Group, IReadOnlyList<ReportRowDto> Rows, MetricsDto Total);

    public static void MapReportsApi(this RouteGroupBuilder api) =>
        api.MapGet("/reports", GetAsync).RequireAuthorization(WebmasterApi.Policy).WithTags("Webmaster").WithName("GetReport")
            .WithSummary("Your report for a period (from, to: China dates; default the last 30 days) grouped by day, site, zone or item")
            .ProducesProblem(400).ProducesProblem(401).ProducesProblem(429);

    private static async Task<Results<Ok<ReportDto>, ProblemHttpResult>> GetAsync(
        ClaimsPrincipal user, WebmasterReport report, TimeProvider clock, DateOnly? from, DateOnly? to, string? group, CancellationToken ct)
    {
        var grouping = ReportGrouping.Day;
        if (group is not null && !ApiQuery.TryParseName(group, out grouping))
        {
            return Bad("group must be one of: day, site, zone, item.");
        }
        // The page's period rules: a missing end is today (or 30 days after the start), a missing start 30 days before the end.
        var today = ChinaTime.Today(clock);
        var end = to ?? (from is { } f && f.AddDays(29) < today ? f.AddDays(29) : today);
        var start = from ?? end.AddDays(-29);
        if (start < Earliest || end > Latest) return Bad("Choose dates between 2000-01-01 and 2099-12-31.");
        if (start > end) return Bad("to must be on or after from.");
        var period = new ReportPeriod(start, end);
        if (period.Days > ReportPeriod.MaxDays) return Bad($"A report covers at most {ReportPeriod.MaxDays} days; this period has {period.Days}.");

        var rows = await report.RowsAsync(user.WebmasterId(), period, grouping, CultureInfo.CurrentUICulture.IsChinese(), ct);
        return TypedResults.Ok(new ReportDto(start, end, grouping.ToString().ToLowerInvariant(),
            [.. rows.Select(r => new ReportRowDto(r.Key, r.Label, grouping == ReportGrouping.Day ? r.Day : null, MetricsDto.Of(r.Metrics)))],
            MetricsDto.Of(ReportMetrics.Sum(rows.Select(r => r.Metrics)))));
    }

    private static ProblemHttpResult Bad(string detail) => TypedResults.Problem(statusCode: 400, title: "Bad report query", detail: detail);
}
