using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
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
public static partial class OrdersApi
{
    public const string SignatureHeader = ShopSignatures.Header;
    private const int MaxBodyBytes = 256 * 1024;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// The wire format of an order event. Click and visitor ids are taken as the store got them
    /// (<c>alliance_click</c> from the landing URL, the visitor cookie): 32 hex digits, dashes optional.
    /// <c>occurredAt</c> is read as text so that a time without a zone can be refused (see <see cref="TryParseTime"/>).
    /// </summary>
    public sealed record OrderEventRequest(
        long ShopId, string? ExternalOrderId, string? Event, string? OccurredAt, string? BuyerRef,
        string? VisitorId, string? ClickId, IReadOnlyList<OrderEventLine>? Lines);

    public static void MapOrdersApi(this RouteGroupBuilder api) =>
        api.MapPost("/orders/events", HandleAsync)
            .WithName("PostOrderEvent")
            .WithSummary("Report an order event (paid, confirmed, refunded) from an external store")
            .Accepts<OrderEventRequest>("application/json")
            .Produces<OrderEventResult>()
            .ProducesProblem(400).ProducesProblem(401).ProducesProblem(404).ProducesProblem(409)
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
        if (!TryParseTime(parsed.OccurredAt, out var occurredAt))
        {
            return Problem(400, "Malformed order event",
                "occurredAt must be an ISO 8601 time with its zone, e.g. 2026-11-01T08:00:00Z or 2026-11-01T16:00:00+08:00.");
        }
        var outcome = await processor.ProcessAsync(new OrderEventCommand(
            parsed.ShopId,
            parsed.ExternalOrderId ?? "",
            parsed.Event ?? "",
            occurredAt,
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

    /// <summary>
    /// An ISO 8601 date and time with an explicit zone (<c>Z</c> or an offset). A time without one is
    /// refused rather than guessed: the store's local time and UTC are eight hours apart in China, which
    /// moves an order across the attribution window. Missing stays <c>default</c> (the processor says it is required).
    /// </summary>
    private static bool TryParseTime(string? text, out DateTimeOffset at)
    {
        at = default;
        if (text is null) return true;
        return IsoTimeWithZone().IsMatch(text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out at);
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})\z", RegexOptions.CultureInvariant)]
    private static partial Regex IsoTimeWithZone();

    private static ProblemHttpResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(statusCode: status, title: title, detail: detail);
}
