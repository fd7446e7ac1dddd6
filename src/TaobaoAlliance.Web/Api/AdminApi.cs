using Microsoft.AspNetCore.Http.HttpResults;
using TaobaoAlliance.Application.Economics;
using TaobaoAlliance.Application.Reports;
using TaobaoAlliance.Application.Subsidies;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Data.Identity;

namespace TaobaoAlliance.Web.Api;

/// <summary>
/// <c>/api/v1/admin/...</c>: the admin's figures for their own tools, the same services as the admin pages. Authenticated by
/// the admin's signed-in cookie (the portal's sign-in, two factors included) and the Admin role: no second credential to
/// leak or rotate, and read-only (GET), so no antiforgery token is needed. Without a sign-in: 401; not an admin: 403.
/// </summary>
public static class AdminApi
{
    private static readonly DateOnly Earliest = new(2000, 1, 1), Latest = new(2099, 12, 31);

    public sealed record EconomicsMetricsDto(long Impressions, long PaidClicks, long BoughtFen, long SoldFen, long MarginFen, decimal? MarginRate,
        long? CpsFeeFen, long? SubsidyFen)
    {
        public static EconomicsMetricsDto Of(EconomicsMetrics m) =>
            new(m.Impressions, m.PaidClicks, m.Bought.Fen, m.Sold.Fen, m.Margin.Fen, m.MarginRate, m.CpsFee?.Fen, m.Subsidy?.Fen);
    }

    /// <summary>A row: its key (a site, zone or campaign id; for a day, its date in <c>day</c>), its label and its numbers.</summary>
    public sealed record EconomicsRowDto(long Key, string Label, DateOnly? Day, EconomicsMetricsDto Metrics);

    public sealed record EconomicsDto(DateOnly From, DateOnly To, string Group, long? Site, long? Zone, IReadOnlyList<EconomicsRowDto> Rows, EconomicsMetricsDto Total);

    public sealed record SubsidyDto(long Id, string Name, int BonusBp, DateTimeOffset StartsAt, DateTimeOffset EndsAt, int? CategoryId, long CapFen, long SpentFen, string Status);

    public static void MapAdminApi(this RouteGroupBuilder api)
    {
        var admin = api.MapGroup("/admin").RequireAuthorization(Roles.Admin).WithTags("Admin");
        admin.MapGet("/economics", GetEconomicsAsync).WithName("GetTrafficEconomics")
            .WithSummary("Traffic economics for a period (from, to: China dates; default the last 30 days) grouped by day, site, zone or campaign, optionally within a site or zone")
            .ProducesProblem(400).ProducesProblem(401).ProducesProblem(403);
        admin.MapGet("/subsidies", GetSubsidiesAsync).WithName("GetSubsidyProgrammes")
            .WithSummary("Subsidy programmes with their spend against the cap").ProducesProblem(401).ProducesProblem(403);
    }

    private static async Task<Results<Ok<EconomicsDto>, ProblemHttpResult>> GetEconomicsAsync(
        TrafficEconomics economics, TimeProvider clock, DateOnly? from, DateOnly? to, string? group, long? site, long? zone, CancellationToken ct)
    {
        var grouping = EconomicsGrouping.Site;
        if (group is not null && !ApiQuery.TryParseName(group, out grouping)) return Bad("group must be one of: day, site, zone, campaign.");
        var today = ChinaTime.Today(clock);
        var end = to ?? (from is { } f && f.AddDays(29) < today ? f.AddDays(29) : today);
        var start = from ?? end.AddDays(-29);
        if (start < Earliest || end > Latest) return Bad("Choose dates between 2000-01-01 and 2099-12-31.");
        if (start > end) return Bad("to must be on or after from.");
        var period = new ReportPeriod(start, end);
        if (period.Days > ReportPeriod.MaxDays) return Bad($"A report covers at most {ReportPeriod.MaxDays} days; this period has {period.Days}.");

        var report = await economics.ReadAsync(new EconomicsQuery(period, grouping, site, zone), ct);
        return TypedResults.Ok(new EconomicsDto(start, end, grouping.ToString().ToLowerInvariant(), site, zone,
            [.. report.Rows.Select(r => new EconomicsRowDto(r.Key, r.Label, grouping == EconomicsGrouping.Day ? r.Day : null, EconomicsMetricsDto.Of(r.Metrics)))],
            EconomicsMetricsDto.Of(report.Total)));
    }

    private static async Task<Ok<List<SubsidyDto>>> GetSubsidiesAsync(SubsidyProgrammes programmes, CancellationToken ct) =>
        TypedResults.Ok((await programmes.ListAsync(ct)).Select(p => new SubsidyDto(p.Id, p.Name, p.Bonus.BasisPoints, p.StartsAt, p.EndsAt, p.CategoryId,
            p.Cap.Fen, p.Spent.Fen, p.Status.ToString())).ToList());

    private static ProblemHttpResult Bad(string detail) => TypedResults.Problem(statusCode: 400, title: "Bad economics query", detail: detail);
}
