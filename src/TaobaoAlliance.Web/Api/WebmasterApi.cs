using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using TaobaoAlliance.Application.Reports;

namespace TaobaoAlliance.Web.Api;

/// <summary>What a webmaster's own tools can read with their API key: commissions and balance.</summary>
public static class WebmasterApi
{
    public const string Policy = "WebmasterApiKey";

    public sealed record CommissionDto(
        long Id, string ExternalOrderId, long ShopId, long ItemId, Guid ClickId, string State,
        long CommissionFen, long WebmasterFen, long PlatformFeeFen, long SubsidyFen, DateTimeOffset CreatedAt, string Explanation,
        string? Sub1 = null, string? Sub2 = null, string? Sub3 = null, string? Sub4 = null, string? Sub5 = null);

    public sealed record BalanceDto(long PendingFen, long AvailableFen, long PayoutRequestedFen, long PaidOutFen);

    public static void MapWebmasterApi(this RouteGroupBuilder api)
    {
        var me = api.MapGroup("/me").RequireAuthorization(Policy).WithTags("Webmaster");
        me.MapGet("/commissions", GetCommissionsAsync).WithSummary("Commissions earned in a period (default: the last 30 days)");
        me.MapGet("/balance", GetBalanceAsync).WithSummary("Pending, available, requested and paid-out balance");
    }

    private static async Task<Results<Ok<List<CommissionDto>>, ProblemHttpResult>> GetCommissionsAsync(
        ClaimsPrincipal user, WebmasterCommissions commissions, TimeProvider clock, DateTimeOffset? from, DateTimeOffset? to, CancellationToken ct)
    {
        var end = to ?? clock.GetUtcNow();
        var start = from ?? end.AddDays(-30);
        if (start > end) return TypedResults.Problem(statusCode: 400, title: "Bad period", detail: "from must be before to.");
        if (end - start > TimeSpan.FromDays(366)) return TypedResults.Problem(statusCode: 400, title: "Bad period", detail: "At most 366 days at a time.");

        var rows = await commissions.ListAsync(user.WebmasterId(), start, end, ct);
        return TypedResults.Ok(rows.Select(x => new CommissionDto(x.Commission.Id, x.ExternalOrderId, x.ShopId, x.ItemId, x.Commission.ClickId,
            x.Commission.State.ToString(), x.Now.Commission.Fen, x.Now.Webmaster.Fen, x.Now.PlatformFee.Fen, x.Now.Subsidy.Fen,
            x.Commission.CreatedAt, x.Commission.Explanation,
            x.Commission.Sub1, x.Commission.Sub2, x.Commission.Sub3, x.Commission.Sub4, x.Commission.Sub5)).ToList());
    }

    private static async Task<Ok<BalanceDto>> GetBalanceAsync(ClaimsPrincipal user, WebmasterAccounts accounts, CancellationToken ct)
    {
        var balances = await accounts.BalancesAsync(user.WebmasterId(), ct);
        return TypedResults.Ok(new BalanceDto(balances.Pending.Fen, balances.Available.Fen, balances.PayoutRequested.Fen, balances.PaidOut.Fen));
    }
}
