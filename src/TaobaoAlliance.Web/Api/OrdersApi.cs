using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TaobaoAlliance.Data;
using TaobaoAlliance.Data.Orders;
using TaobaoAlliance.Web.Orders;

namespace TaobaoAlliance.Web.Api;

/// <summary>
/// <c>POST /api/v1/orders/events</c>: an external store reports paid, confirmed and refunded orders,
/// signed with its shop's secret: <c>X-Alliance-Signature: sha256=&lt;hex HMAC-SHA256 of the raw body&gt;</c>.
/// Idempotent: the same event again changes nothing and gets the same answer.
/// </summary>
public static class OrdersApi
{
    public const string SignatureHeader = ShopSignatures.Header;
    private const int MaxBodyBytes = 256 * 1024;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// The wire format of an order event. Click and visitor ids are taken as the store got them
    /// (<c>alliance_click</c> from the landing URL, the visitor cookie): 32 hex digits, dashes optional.
    /// </summary>
    public sealed record OrderEventRequest(
        long ShopId, string? ExternalOrderId, string? Event, DateTimeOffset? OccurredAt, string? BuyerRef,
        string? VisitorId, string? ClickId, IReadOnlyList<OrderEventLine>? Lines);

    public static void MapOrdersApi(this RouteGroupBuilder api) =>
        api.MapPost("/orders/events", HandleAsync)
            .WithName("PostOrderEvent")
            .WithSummary("Report an order event (paid, confirmed, refunded) from an external store")
            .Accepts<OrderEventRequest>("application/json")
            .Produces<OrderEventResult>()
            .ProducesProblem(400).ProducesProblem(401).ProducesProblem(404)
            .AllowAnonymous() // server-to-server: authenticated by the HMAC signature, not a user
            .DisableAntiforgery();

    private static async Task<Results<Ok<OrderEventResult>, ProblemHttpResult>> HandleAsync(
        HttpRequest request, AllianceDbContext db, OrderEventProcessor processor, CancellationToken ct)
    {
        var body = await ShopSignatures.ReadBodyAsync(request, MaxBodyBytes, ct);
        if (body is null) return Problem(400, "Body too large", $"At most {MaxBodyBytes / 1024} KB.");

        OrderEventRequest? parsed;
        try
        {
            parsed = JsonSerializer.Deserialize<OrderEventRequest>(body, Json);
        }
        catch (JsonException e)
        {
            return Problem(400, "Malformed JSON", e.Message);
        }
        if (parsed is null || parsed.ShopId <= 0) return Problem(400, "Malformed order event", "shopId is required.");

        // Unknown shops are checked against a dummy key, so a 404 takes as long as a 401.
        var secret = await db.Shops.Where(s => s.Id == parsed.ShopId).Select(s => s.OrdersApiSecret).SingleOrDefaultAsync(ct);
        var signatureValid = ShopSignatures.Matches(body, secret, request.Headers[SignatureHeader]);
        if (secret is null) return Problem(404, "Unknown shop", $"There is no shop {parsed.ShopId} with an Orders API secret.");
        if (!signatureValid) return Problem(401, "Bad signature", $"{SignatureHeader} must be sha256=<hex HMAC-SHA256 of the raw body with the shop's secret>.");

        if (!TryParseId(parsed.ClickId, out var clickId)) return Problem(400, "Malformed order event", "clickId must be the alliance_click value (32 hex digits).");
        if (!TryParseId(parsed.VisitorId, out var visitorId)) return Problem(400, "Malformed order event", "visitorId must be 32 hex digits.");
        var outcome = await processor.ProcessAsync(new OrderEventCommand(
            parsed.ShopId,
            parsed.ExternalOrderId ?? "",
            parsed.Event ?? "",
            parsed.OccurredAt ?? default,
            parsed.BuyerRef ?? "",
            parsed.Lines ?? [],
            OrderSource.OrdersApi,
            visitorId,
            clickId), ct);
        return outcome.Problem is { } problem
            ? Problem(problem.StatusCode, problem.Title, problem.Detail)
            : TypedResults.Ok(outcome.Result!);
    }

    private static bool TryParseId(string? text, out Guid? id)
    {
        id = null;
        if (string.IsNullOrWhiteSpace(text)) return true;
        if (!Guid.TryParse(text, out var parsed)) return false;
        id = parsed;
        return true;
    }

    private static ProblemHttpResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(statusCode: status, title: title, detail: detail);
}
