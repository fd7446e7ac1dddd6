using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TaobaoAlliance.Application.Commissions;
using TaobaoAlliance.Attribution.Ledger;
using TaobaoAlliance.Data;
using TaobaoAlliance.Application.Ledger;

namespace TaobaoAlliance.Web.Api;

/// <summary>What a webmaster's own tools can read with their API key: commissions and balance.</summary>
public static class WebmasterApi
{
    public const string Policy = "WebmasterApiKey";

    public sealed record CommissionDto(
        long Id, string ExternalOrderId, long ShopId, long ItemId, Guid ClickId, string State,
        long CommissionFen, long WebmasterFen, long PlatformFeeFen, long SubsidyFen, DateTimeOffset CreatedAt, string Explanation);

    public sealed record BalanceDto(long PendingFen, long AvailableFen, long PayoutRequestedFen, long PaidOutFen);

    public static void MapWebmasterApi(this RouteGroupBuilder api)
    {
        var me = api.MapGroup("/me").RequireAuthorization(Policy).WithTags("Webmaster");
        me.MapGet("/commissions", GetCommissionsAsync).WithSummary("Commissions earned in a period (default: the last 30 days)");
        me.MapGet("/balance", GetBalanceAsync).WithSummary("Pending, available, requested and paid-out balance");
    }

    private static async Task<Results<Ok<List<CommissionDto>>, ProblemHttpResult>> GetCommissionsAsync(
        ClaimsPrincipal user, AllianceDbContext db, TimeProvider clock, DateTimeOffset? from, DateTimeOffset? to, CancellationToken ct)
    {
        var end = to ?? clock.GetUtcNow();
        var start = from ?? end.AddDays(-30);
        if (start > end) return TypedResults.Problem(statusCode: 400, title: "Bad period", detail: "from must be before to.");
        if (end - start > TimeSpan.FromDays(366)) return TypedResults.Problem(statusCode: 400, title: "Bad period", detail: "At most 366 days at a time.");

        var webmasterId = user.WebmasterId();
        var rows = await db.Commissions.AsNoTracking()
            .Where(c => c.WebmasterId == webmasterId && c.CreatedAt >= start && c.CreatedAt <= end)
            .Join(db.Orders, c => c.OrderId, o => o.Id, (c, o) => new { c, o.ExternalOrderId, o.ShopId })
            .Join(db.OrderLines, x => x.c.OrderLineId, l => l.Id, (x, l) => new { x.c, x.ExternalOrderId, x.ShopId, l.ItemId })
            .OrderBy(x => x.c.CreatedAt).ThenBy(x => x.c.Id)
            .ToListAsync(ct);
        return TypedResults.Ok(rows.Select(x =>
        {
            var now = x.c.Effective();
            return new CommissionDto(x.c.Id, x.ExternalOrderId, x.ShopId, x.ItemId, x.c.ClickId, x.c.State.ToString(),
                now.Commission.Fen, now.Webmaster.Fen, now.PlatformFee.Fen, now.Subsidy.Fen, x.c.CreatedAt, x.c.Explanation);
        }).ToList());
    }

    private static async Task<Ok<BalanceDto>> GetBalanceAsync(ClaimsPrincipal user, LedgerWriter ledger, CancellationToken ct)
    {
        var balances = await ledger.WebmasterBalancesAsync(user.WebmasterId(), ct);
        long Of(AccountKind kind) => balances.TryGetValue(kind, out var money) ? money.Fen : 0;
        return TypedResults.Ok(new BalanceDto(Of(AccountKind.WebmasterPending), Of(AccountKind.WebmasterAvailable),
            Of(AccountKind.WebmasterPayoutRequested), Of(AccountKind.WebmasterPaidOut)));
    }
}
