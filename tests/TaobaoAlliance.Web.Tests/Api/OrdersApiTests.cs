using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TaobaoAlliance.Web.Api;
using TaobaoAlliance.Application.Orders;
using TaobaoAlliance.Web.Tests.Areas.Admin;
using TaobaoAlliance.Web.Tests.Areas.Seller.ApiSecrets;
using TaobaoAlliance.Web.Tests.Areas.Seller.Reports;
using TaobaoAlliance.Web.Tests.Areas.Seller.Wallet;
using TaobaoAlliance.Web.Tests.Areas.Webmaster;
using TaobaoAlliance.Web.Tests.Areas.Webmaster.Balance;
using TaobaoAlliance.Web.Tests.Areas.Webmaster.Reports;

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
        // Events up to 5 minutes ahead of the platform's clock are believed (product.md: "The store's word has limits").
        var events = new[]
        {
            Body(orderId, "paid", world.Now.AddMinutes(-10), click, quantity: 3, paidFen: 30_000, itemId: itemId),
            Body(orderId, "refunded", world.Now.AddMinutes(-5), quantity: 1, paidFen: 0, itemId: itemId),
            Body(orderId, "confirmed", world.Now),
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

    // Issue 9, item 2: the audit's scenario. A seller posts a paid order of 2^63 − 1 fen a line naming a
    // click on another seller's shop; the reports of that click's webmaster, the admin and the seller failed.
    [Fact]
    public async Task Amounts_beyond_the_caps_are_refused_and_a_click_on_another_shop_is_only_a_hint()
    {
        var (first, second) = await ShopOneItemsAsync();
        using var signedIn = await app.NewSignedInWebmasterAsync();
        var otherShopItem = await ShopItemAsync(shopId: 6); // seller2's shop: not the poster's
        var foreignClick = await world.ClickAsync(signedIn.Webmaster, Guid.NewGuid(), otherShopItem, world.Now.AddHours(-1));
        string Paid(string id, long fenEach, long fenSecond) => JsonSerializer.Serialize(new
        {
            shopId = 1, externalOrderId = id, @event = "paid", occurredAt = world.Now, buyerRef = "audit", clickId = foreignClick.ToString("N"),
            lines = new[] { new { itemId = first, quantity = 1, paidFen = fenEach }, new { itemId = second, quantity = 1, paidFen = fenSecond } },
        });
        var huge = MoneyWorld.NewOrderId();
        var overOrderCap = MoneyWorld.NewOrderId();
        var overQuantity = MoneyWorld.NewOrderId();

        var hugeLines = await PostAsync(Paid(huge, long.MaxValue, long.MaxValue));
        var overLine = await PostAsync(Paid(huge, OrderLimits.MaxLineFen + 1, 1));
        var overOrder = await PostAsync(Paid(overOrderCap, OrderLimits.MaxLineFen, 1));
        var tooMany = await PostAsync(Body(overQuantity, "paid", world.Now, quantity: OrderLimits.MaxQuantity + 1, itemId: first));

        foreach (var refused in new[] { hugeLines, overLine, overOrder, tooMany })
        {
            refused.StatusCode.Should().Be(HttpStatusCode.BadRequest);
            refused.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        }
        (await overOrder.Content.ReadAsStringAsync()).Should().Contain("per order");
        (await OrderCountAsync(huge) + await OrderCountAsync(overOrderCap) + await OrderCountAsync(overQuantity)).Should().Be(0);

        // At the caps: accepted, but the other shop's click neither wins nor earns.
        var atCaps = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            var accepted = await PostAsync(Paid(MoneyWorld.NewOrderId(), OrderLimits.MaxOrderFen / 2, OrderLimits.MaxOrderFen / 2));
            accepted.StatusCode.Should().Be(HttpStatusCode.OK);
            var json = await accepted.Content.ReadFromJsonAsync<JsonElement>();
            json.GetProperty("attributedClickId").ValueKind.Should().Be(JsonValueKind.Null);
            json.GetProperty("attributionNote").GetString().Should().Contain($"for shop 6, not this shop");
            json.GetProperty("lines").EnumerateArray().Should().OnlyContain(l => l.GetProperty("commissionFen").GetInt64() == 0);
            atCaps.Add(json.GetProperty("orderId").GetInt64());
        }
        await using (var db = app.NewDb())
        {
            var stored = await db.Orders.Where(o => atCaps.Contains(o.Id)).ToListAsync();
            stored.Should().OnlyContain(o => o.ClickIdHint == foreignClick && o.AttributedClickId == null, "the store's click id is kept as a hint only");
        }

        using var admin = await AdminTesting.AdminAsync(app);
        using var seller = await app.SignedInAsync(SellerMoneyTesting.Seller1, SellerMoneyTesting.Seller1Password);
        var pages = new (BrowserSession Who, string Url)[]
        {
            (signedIn.Browser, "/Webmaster"), (signedIn.Browser, "/Webmaster/Reports"),
            (admin, "/Admin"), (admin, "/Admin/Orders"), (admin, $"/Admin/Orders/{atCaps[0]}"),
            (seller, "/Seller/Reports"),
        };
        foreach (var (who, url) in pages)
        {
            (await who.GetAsync(url)).StatusCode.Should().Be(HttpStatusCode.OK, url);
        }
    }

    [Theory]
    [InlineData("0001-01-01T00:00:01Z", "before 2020-01-01")]
    [InlineData("2019-12-31T23:59:59Z", "before 2020-01-01")]
    [InlineData("9999-12-31T00:00:00Z", "in the future")]
    [InlineData("9999-12-31", "with its zone")]
    [InlineData("2026-11-01T08:00:00", "with its zone")]
    [InlineData("2026-11-01 08:00:00Z", "with its zone")]
    [InlineData("0001-01-01T00:00:00+01:00", "with its zone")]
    [InlineData("", "with its zone")]
    public async Task An_occurredAt_without_a_zone_or_out_of_range_is_refused_and_writes_nothing(string occurredAt, string detail)
    {
        var orderId = MoneyWorld.NewOrderId();
        var body = Body(orderId, "paid", world.Now, itemId: await ShopOneItemAsync())
            .Replace(JsonSerializer.Serialize(world.Now), JsonSerializer.Serialize(occurredAt), StringComparison.Ordinal);

        var response = await PostAsync(body);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).Should().Contain(detail);
        (await OrderCountAsync(orderId)).Should().Be(0);
    }

    [Fact]
    public async Task An_event_more_than_five_minutes_ahead_is_refused_and_an_offset_is_honoured()
    {
        var itemId = await ShopOneItemAsync();
        var ahead = MoneyWorld.NewOrderId();
        var justInside = MoneyWorld.NewOrderId();

        var refused = await PostAsync(Body(ahead, "paid", world.Now.AddMinutes(5).AddSeconds(1), itemId: itemId));
        var accepted = await PostAsync(Body(justInside, "paid", world.Now.AddMinutes(5).ToOffset(TimeSpan.FromHours(8)), itemId: itemId));

        refused.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await refused.Content.ReadAsStringAsync()).Should().Contain("5 minutes in the future");
        accepted.StatusCode.Should().Be(HttpStatusCode.OK);
        await using var db = app.NewDb();
        (await db.Orders.SingleAsync(o => o.ExternalOrderId == justInside)).PaidAt.Should().Be(world.Now.AddMinutes(5));
        (await OrderCountAsync(ahead)).Should().Be(0);
    }

    [Theory]
    [InlineData("externalOrderId")]
    [InlineData("buyerRef")]
    [InlineData("event")]
    public async Task A_NUL_character_in_a_string_is_refused_and_writes_nothing(string field)
    {
        var orderId = MoneyWorld.NewOrderId();
        var body = Body(orderId, "paid", world.Now, itemId: await ShopOneItemAsync());
        body = field switch
        {
            "externalOrderId" => body.Replace($"\"{orderId}\"", $"\"{orderId}\\u0000x\"", StringComparison.Ordinal),
            "buyerRef" => body.Replace("\"buyer-77\"", "\"buyer\\u0000-77\"", StringComparison.Ordinal),
            _ => body.Replace("\"paid\"", "\"pa\\u0000id\"", StringComparison.Ordinal),
        };
        body.Should().Contain("\\u0000");

        var response = await PostAsync(body);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        await using var db = app.NewDb();
        (await db.Orders.CountAsync(o => o.ExternalOrderId.StartsWith(orderId))).Should().Be(0);
        (await db.OrderEvents.CountAsync(e => e.ExternalOrderId.StartsWith(orderId))).Should().Be(0);
    }

    [Fact]
    public async Task A_second_paid_with_other_lines_is_a_conflict_that_changes_nothing_and_answers_alike_each_time()
    {
        var itemId = await ShopOneItemAsync();
        var orderId = MoneyWorld.NewOrderId();
        var original = Body(orderId, "paid", world.Now.AddMinutes(-2), quantity: 2, paidFen: 20_000, itemId: itemId);
        var first = await PostAsync(original);
        var firstAnswer = await first.Content.ReadAsStringAsync();
        var fingerprint = await OrderFingerprintAsync(orderId);
        var otherAmount = Body(orderId, "paid", world.Now.AddMinutes(-1), quantity: 2, paidFen: 99_900, itemId: itemId);
        var otherQuantity = Body(orderId, "paid", world.Now.AddMinutes(-1), quantity: 3, paidFen: 20_000, itemId: itemId);

        var conflicts = new[] { await PostAsync(otherAmount), await PostAsync(otherAmount), await PostAsync(otherQuantity) };
        var afterConflicts = await OrderFingerprintAsync(orderId);
        var sameLinesLater = await PostAsync(Body(orderId, "paid", world.Now, quantity: 2, paidFen: 20_000, itemId: itemId));
        var replay = await PostAsync(original);

        first.StatusCode.Should().Be(HttpStatusCode.OK);
        foreach (var conflict in conflicts)
        {
            conflict.StatusCode.Should().Be(HttpStatusCode.Conflict);
            conflict.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        }
        var firstConflict = await ProblemDetailAsync(conflicts[0]);
        (await ProblemDetailAsync(conflicts[1])).Should().Be(firstConflict, "the same body gets the same answer");
        firstConflict.Should().Contain("already paid with other lines or amounts");
        sameLinesLater.StatusCode.Should().Be(HttpStatusCode.OK, "the same order paid again with the same lines is the same order");
        (await sameLinesLater.Content.ReadAsStringAsync()).Should().Be(firstAnswer);
        (await replay.Content.ReadAsStringAsync()).Should().Be(firstAnswer);
        afterConflicts.Should().Be(fingerprint, "a refused event writes nothing");
    }

    [Fact]
    public async Task Eight_parallel_paid_events_with_different_keys_make_one_order_and_each_gets_the_orders_answer()
    {
        var itemId = await ShopOneItemAsync();
        var orderId = MoneyWorld.NewOrderId();
        // Different times make different event keys: each claims its own event and races for the order.
        var bodies = Enumerable.Range(0, 8).Select(i => Body(orderId, "paid", world.Now.AddSeconds(-i), quantity: 1, paidFen: 10_000, itemId: itemId));

        var responses = await Task.WhenAll(bodies.Select(body => PostAsync(body)));

        responses.Select(r => r.StatusCode).Should().AllBeEquivalentTo(HttpStatusCode.OK);
        var answers = await Task.WhenAll(responses.Select(r => r.Content.ReadFromJsonAsync<JsonElement>()));
        answers.Select(a => a.GetProperty("orderId").GetInt64()).Distinct().Should().ContainSingle();
        (await OrderCountAsync(orderId)).Should().Be(1);
    }

    [Fact]
    public async Task Eight_parallel_paid_events_with_two_different_line_sets_make_one_order_and_the_others_conflict()
    {
        var itemId = await ShopOneItemAsync();
        var orderId = MoneyWorld.NewOrderId();
        var bodies = Enumerable.Range(0, 8)
            .Select(i => Body(orderId, "paid", world.Now.AddSeconds(-i), quantity: 1, paidFen: i % 2 == 0 ? 10_000 : 12_000, itemId: itemId))
            .ToList();

        var responses = await Task.WhenAll(bodies.Select(body => PostAsync(body)));

        responses.Select(r => (int)r.StatusCode).Should().OnlyContain(code => code == 200 || code == 409);
        (await OrderCountAsync(orderId)).Should().Be(1);
        await using var db = app.NewDb();
        var paidFen = await db.OrderLines.Where(l => db.Orders.Any(o => o.Id == l.OrderId && o.ExternalOrderId == orderId)).Select(l => l.PaidFen).SingleAsync();
        for (var i = 0; i < bodies.Count; i++)
        {
            var expected = (i % 2 == 0 ? 10_000 : 12_000) == paidFen ? HttpStatusCode.OK : HttpStatusCode.Conflict;
            responses[i].StatusCode.Should().Be(expected, $"post {i} paid {(i % 2 == 0 ? 10_000 : 12_000)} fen and the order holds {paidFen}");
        }
    }

    private static async Task<string> ProblemDetailAsync(HttpResponseMessage response)
    {
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(); // a problem's traceId differs per request
        return $"{problem.GetProperty("status").GetInt32()} {problem.GetProperty("title").GetString()}: {problem.GetProperty("detail").GetString()}";
    }

    private async Task<string> OrderFingerprintAsync(string externalOrderId)
    {
        await using var db = app.NewDb();
        var lines = await db.OrderLines.Where(l => db.Orders.Any(o => o.Id == l.OrderId && o.ExternalOrderId == externalOrderId))
            .OrderBy(l => l.Id).Select(l => $"{l.ItemId}:{l.Quantity}:{l.PaidFen}:{l.RefundedFen}").ToListAsync();
        var events = await db.OrderEvents.CountAsync(e => e.ExternalOrderId == externalOrderId);
        return $"{string.Join(",", lines)}|{events}|{await LedgerFingerprintAsync()}";
    }

    private async Task<long> ShopItemAsync(long shopId)
    {
        await using var db = app.NewDb();
        return await db.Items.Where(i => i.ShopId == shopId).OrderBy(i => i.Id).Select(i => i.Id).FirstAsync();
    }

    private async Task<(long First, long Second)> ShopOneItemsAsync()
    {
        await using var db = app.NewDb();
        var ids = await db.Items.Where(i => i.ShopId == 1).OrderBy(i => i.Id).Select(i => i.Id).Take(2).ToListAsync();
        return (ids[0], ids[1]);
    }

    private async Task<string> LedgerFingerprintAsync()
    {
        await using var db = app.NewDb();
        return $"{await db.JournalLines.CountAsync()}:{await db.JournalLines.SumAsync(l => l.AmountFen)}:{await db.OrderLines.SumAsync(l => l.RefundedQuantity)}";
    }
}
