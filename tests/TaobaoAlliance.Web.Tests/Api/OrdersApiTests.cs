using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TaobaoAlliance.Web.Api;
using TaobaoAlliance.Web.Tests.Infrastructure;

namespace TaobaoAlliance.Web.Tests.Api;

/// <summary>The Orders API over real HTTP: signatures, validation, idempotency and concurrency.</summary>
public sealed class OrdersApiTests(AllianceApp app) : IClassFixture<AllianceApp>
{
    private const string Shop1Secret = "ta_dev_shop1_secret_Wv3nB8qLz5";
    private readonly MoneyWorld world = new(app);

    // The click id is sent as the landing URL carries it: 32 hex digits without dashes.
    private static string Body(string externalOrderId, string @event, DateTimeOffset at, Guid? clickId = null, int quantity = 1, long paidFen = 10_000, long itemId = 0) =>
        JsonSerializer.Serialize(new
        {
            shopId = 1, externalOrderId, @event, occurredAt = at, buyerRef = "buyer-77", clickId = clickId?.ToString("N"),
            lines = @event == "confirmed" ? [] : new[] { new { itemId, quantity, paidFen } },
        });

    private async Task<HttpResponseMessage> PostAsync(string body, string? secret = Shop1Secret, string? signature = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/orders/events") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (signature is not null || secret is not null) request.Headers.Add(OrdersApi.SignatureHeader, signature ?? ShopSignatures.Sign(Encoding.UTF8.GetBytes(body), secret!, app.Clock.GetUtcNow()));
        return await app.CreateClient().SendAsync(request);
    }

    private async Task<long> ShopOneItemAsync()
    {
        await using var db = app.NewDb();
        return await db.Items.Where(i => i.ShopId == 1).OrderBy(i => i.Id).Select(i => i.Id).FirstAsync();
    }

    private async Task<int> OrderCountAsync(string externalOrderId)
    {
        await using var db = app.NewDb();
        return await db.Orders.CountAsync(o => o.ExternalOrderId == externalOrderId);
    }

    [Fact]
    public async Task A_signed_paid_event_with_the_click_id_records_the_order_and_its_commission()
    {
        var itemId = await ShopOneItemAsync();
        var webmaster = await world.NewWebmasterAsync();
        var click = await world.ClickAsync(webmaster, Guid.NewGuid(), itemId, world.Now.AddHours(-1), itemRateBp: 500);
        var orderId = MoneyWorld.NewOrderId();

        var response = await PostAsync(Body(orderId, "paid", world.Now, click, itemId: itemId));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        json.GetProperty("attributedClickId").GetGuid().Should().Be(click);
        json.GetProperty("lines")[0].GetProperty("commissionFen").GetInt64().Should().Be(500);
        json.GetProperty("lines")[0].GetProperty("webmasterFen").GetInt64().Should().Be(450);
    }

    [Fact]
    public async Task A_bad_signature_is_401_and_writes_nothing()
    {
        var orderId = MoneyWorld.NewOrderId();
        var body = Body(orderId, "paid", world.Now, itemId: await ShopOneItemAsync());

        var wrongKey = await PostAsync(body, secret: "not-the-secret");
        var missing = await PostAsync(body, secret: null);
        var tampered = await PostAsync(body.Replace("10000", "99999", StringComparison.Ordinal), signature: ShopSignatures.Sign(Encoding.UTF8.GetBytes(body), Shop1Secret, app.Clock.GetUtcNow()));

        new[] { wrongKey, missing, tampered }.Should().AllSatisfy(r => r.StatusCode.Should().Be(HttpStatusCode.Unauthorized));
        (await wrongKey.Content.ReadAsStringAsync()).Should().Contain("Bad signature");
        (await OrderCountAsync(orderId)).Should().Be(0);
    }

    [Fact]
    public async Task An_unknown_shop_is_refused_like_a_bad_signature_and_writes_nothing()
    {
        var orderId = MoneyWorld.NewOrderId();
        var body = Body(orderId, "paid", world.Now).Replace("\"shopId\":1", "\"shopId\":999", StringComparison.Ordinal);

        var unknownShop = await PostAsync(body);
        var wrongSecret = await PostAsync(body.Replace("\"shopId\":999", "\"shopId\":1", StringComparison.Ordinal), secret: "not-the-secret");

        unknownShop.StatusCode.Should().Be(HttpStatusCode.Unauthorized, "a 404 would tell which shops exist");
        unknownShop.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        (await ProblemWithoutTraceAsync(unknownShop)).Should().Be(await ProblemWithoutTraceAsync(wrongSecret));
        (await OrderCountAsync(orderId)).Should().Be(0);
    }

    [Fact]
    public async Task The_body_only_signature_of_the_first_version_is_still_accepted()
    {
        var itemId = await ShopOneItemAsync();
        var orderId = MoneyWorld.NewOrderId();
        var body = Body(orderId, "paid", world.Now, itemId: itemId);

        var response = await PostAsync(body, signature: ShopSignatures.SignBodyOnly(Encoding.UTF8.GetBytes(body), Shop1Secret));

        response.StatusCode.Should().Be(HttpStatusCode.OK, "existing stores keep working: order events are idempotent, so a replay changes nothing");
        (await OrderCountAsync(orderId)).Should().Be(1);
    }

    [Theory]
    [InlineData(-6)]
    [InlineData(6)]
    public async Task A_signature_timed_more_than_five_minutes_away_is_401(int minutes)
    {
        var orderId = MoneyWorld.NewOrderId();
        var body = Body(orderId, "paid", world.Now, itemId: await ShopOneItemAsync());

        var response = await PostAsync(body, signature: ShopSignatures.Sign(Encoding.UTF8.GetBytes(body), Shop1Secret, world.Now.AddMinutes(minutes)));

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await OrderCountAsync(orderId)).Should().Be(0);
    }

    [Fact]
    public async Task A_body_naming_a_second_shop_is_not_processed_for_it()
    {
        var orderId = MoneyWorld.NewOrderId();
        // Signed by shop 1, whose id comes first; a serializer taking the last value would see shop 2.
        var body = Body(orderId, "paid", world.Now, itemId: await ShopOneItemAsync()).Replace("\"shopId\":1,", "\"shopId\":1,\"shopId\":2,", StringComparison.Ordinal);

        var response = await PostAsync(body);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await OrderCountAsync(orderId)).Should().Be(0);
    }

    /// <summary>The problem document without its per-request trace id.</summary>
    private static async Task<string> ProblemWithoutTraceAsync(HttpResponseMessage response)
    {
        var json = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        json.Remove("traceId");
        return json.ToJsonString();
    }

    [Theory]
    [InlineData("{\"shopId\":1,not json", "Malformed JSON")] // signed, so parsed: an unsigned body gets 401 before any parsing
    [InlineData("{\"shopId\":1,\"externalOrderId\":\"X1\",\"event\":\"shipped\",\"occurredAt\":\"2026-11-01T00:00:00Z\",\"lines\":[{\"itemId\":1,\"quantity\":1,\"paidFen\":1}]}", "event must be one of")]
    [InlineData("{\"shopId\":1,\"externalOrderId\":\"X2\",\"event\":\"paid\",\"occurredAt\":\"2026-11-01T00:00:00Z\",\"lines\":[]}", "at least one line")]
    [InlineData("{\"shopId\":1,\"externalOrderId\":\"X3\",\"event\":\"paid\",\"occurredAt\":\"2026-11-01T00:00:00Z\",\"lines\":[{\"itemId\":1,\"quantity\":0,\"paidFen\":1}]}", "quantity")]
    [InlineData("{\"shopId\":1,\"externalOrderId\":\"X4\",\"event\":\"paid\",\"occurredAt\":\"2026-11-01T00:00:00Z\",\"lines\":[{\"itemId\":1,\"quantity\":1,\"paidFen\":-5}]}", "negative")]
    [InlineData("{\"shopId\":1,\"externalOrderId\":\"X5\",\"event\":\"paid\",\"lines\":[{\"itemId\":1,\"quantity\":1,\"paidFen\":5}]}", "occurredAt")]
    [InlineData("{\"shopId\":1,\"externalOrderId\":\"X6\",\"event\":\"paid\",\"occurredAt\":\"2026-11-01T00:00:00Z\",\"lines\":[{\"itemId\":200000,\"quantity\":1,\"paidFen\":5}]}", "not an item of shop 1")]
    [InlineData("{\"shopId\":1,\"externalOrderId\":\"X8\",\"event\":\"paid\",\"occurredAt\":\"2026-11-01T00:00:00Z\",\"clickId\":\"not-a-click\",\"lines\":[{\"itemId\":1,\"quantity\":1,\"paidFen\":5}]}", "clickId must be")]
    [InlineData("{\"shopId\":1,\"externalOrderId\":\"X7\",\"event\":\"confirmed\",\"occurredAt\":\"2026-11-01T00:00:00Z\",\"lines\":[]}", "no paid order")]
    public async Task A_malformed_body_is_a_problem_and_writes_nothing(string body, string detail)
    {
        var response = await PostAsync(body);

        ((int)response.StatusCode).Should().BeOneOf(400, 404);
        (await response.Content.ReadAsStringAsync()).Should().Contain(detail);
        await using var db = app.NewDb();
        (await db.OrderEvents.CountAsync(e => EF.Functions.Like(e.ExternalOrderId, "X%"))).Should().Be(0);
    }

    [Fact]
    public async Task Replaying_every_event_type_changes_nothing_and_answers_the_same()
    {
        var itemId = await ShopOneItemAsync();
        var webmaster = await world.NewWebmasterAsync();
        var click = await world.ClickAsync(webmaster, Guid.NewGuid(), itemId, world.Now.AddHours(-1), itemRateBp: 500);
        var orderId = MoneyWorld.NewOrderId();
        var events = new[]
        {
            Body(orderId, "paid", world.Now, click, quantity: 3, paidFen: 30_000, itemId: itemId),
            Body(orderId, "refunded", world.Now.AddMinutes(5), quantity: 1, paidFen: 0, itemId: itemId),
            Body(orderId, "confirmed", world.Now.AddMinutes(10)),
        };

        foreach (var body in events)
        {
            var first = await (await PostAsync(body)).Content.ReadAsStringAsync();
            var ledgerBefore = await LedgerFingerprintAsync();

            var again = await PostAsync(body);

            again.StatusCode.Should().Be(HttpStatusCode.OK);
            (await again.Content.ReadAsStringAsync()).Should().Be(first);
            (await LedgerFingerprintAsync()).Should().Be(ledgerBefore);
        }
        var final = await (await PostAsync(events[1])).Content.ReadFromJsonAsync<JsonElement>();
        final.GetProperty("lines")[0].GetProperty("refundedQuantity").GetInt32().Should().Be(1, "the refund replayed twice still refunds one unit");
    }

    [Fact]
    public async Task Fifty_parallel_identical_paid_events_create_one_order_and_one_commission()
    {
        var itemId = await ShopOneItemAsync();
        var webmaster = await world.NewWebmasterAsync();
        var click = await world.ClickAsync(webmaster, Guid.NewGuid(), itemId, world.Now.AddHours(-1), itemRateBp: 500);
        var orderId = MoneyWorld.NewOrderId();
        var body = Body(orderId, "paid", world.Now, click, itemId: itemId);

        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => PostAsync(body)));

        responses.Should().AllSatisfy(r => r.StatusCode.Should().Be(HttpStatusCode.OK));
        (await Task.WhenAll(responses.Select(r => r.Content.ReadAsStringAsync()))).Distinct().Should().ContainSingle();
        (await OrderCountAsync(orderId)).Should().Be(1);
        await using var db = app.NewDb();
        (await db.Commissions.CountAsync(c => c.WebmasterId == webmaster.Id)).Should().Be(1);
        (await db.JournalEntries.CountAsync(e => e.Kind == "commission.accrued" && db.Orders.Any(o => o.Id == e.OrderId && o.ExternalOrderId == orderId))).Should().Be(1);
    }

    private async Task<string> LedgerFingerprintAsync()
    {
        await using var db = app.NewDb();
        return $"{await db.JournalLines.CountAsync()}:{await db.JournalLines.SumAsync(l => l.AmountFen)}:{await db.OrderLines.SumAsync(l => l.RefundedQuantity)}";
    }
}
