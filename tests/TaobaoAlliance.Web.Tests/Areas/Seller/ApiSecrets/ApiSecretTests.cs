using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using TaobaoAlliance.Web.Api;
using static TaobaoAlliance.Web.Tests.Areas.Seller.Wallet.SellerMoneyTesting;
using TaobaoAlliance.Web.Tests.Areas.Seller.Reports;
using TaobaoAlliance.Web.Tests.Areas.Seller.Wallet;

namespace TaobaoAlliance.Web.Tests.Areas.Seller.ApiSecrets;

/// <summary>Orders API secrets: created and shown once, rotated so the old one stops working, and only for one's own shops.</summary>
public sealed partial class ApiSecretTests(AllianceApp app) : IClassFixture<AllianceApp>
{
    private const string Shop1DemoSecret = "ta_dev_shop1_secret_Wv3nB8qLz5";

    private static Task<HttpResponseMessage> GenerateAsync(BrowserSession browser, long shopId) =>
        browser.SubmitAsync("/Seller/ApiSecrets", "/Seller/ApiSecrets?handler=Secret", pick: f => f.Fields["shopId"] == shopId.ToString());

    private async Task<HttpStatusCode> PostOrderAsync(long shopId, string secret)
    {
        await using var db = app.NewDb();
        var itemId = await db.Items.Where(i => i.ShopId == shopId).OrderBy(i => i.Id).Select(i => i.Id).FirstAsync();
        var body = JsonSerializer.Serialize(new
        {
            shopId, externalOrderId = MoneyWorld.NewOrderId(), @event = "paid", occurredAt = app.Clock.GetUtcNow(), buyerRef = "c-1",
            lines = new[] { new { itemId, quantity = 1, paidFen = 1_000 } },
        });
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/orders/events") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add(OrdersApi.SignatureHeader, ShopSignatures.Sign(Encoding.UTF8.GetBytes(body), secret, app.Clock.GetUtcNow()));
        using var client = app.CreateClient();
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    private async Task<string?> StoredSecretAsync(long shopId)
    {
        await using var db = app.NewDb();
        return await db.Shops.Where(s => s.Id == shopId).Select(s => s.OrdersApiSecret).SingleAsync();
    }

    private async Task<List<string>> AuditActionsAsync(long shopId)
    {
        await using var db = app.NewDb();
        return await db.AuditLog.Where(a => a.EntityType == "shop" && a.EntityId == shopId.ToString()).OrderBy(a => a.Id).Select(a => a.Action).ToListAsync();
    }

    private static string? ShownSecret(string html) =>
        SecretPattern().Match(html) is { Success: true } m ? m.Groups[1].Value : null;

    [Fact]
    public async Task Creating_a_secret_shows_it_once_and_then_only_says_it_is_set()
    {
        await using (var db = app.NewDb())
        {
            await db.Shops.Where(s => s.Id == 2).ExecuteUpdateAsync(s => s.SetProperty(x => x.OrdersApiSecret, (string?)null));
        }
        using var browser = await app.SignedInAsync(Seller1, Seller1Password);
        var before = await browser.PageAsync("/Seller/ApiSecrets");
        before.Should().Contain("data-shop=\"2\" data-has-secret=\"false\"");

        using var response = await GenerateAsync(browser, 2);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Headers.CacheControl!.NoStore.Should().BeTrue();
        var html = await response.Content.ReadAsStringAsync();
        var secret = ShownSecret(html);
        secret.Should().NotBeNull().And.StartWith("ta_shop_");
        secret!.Length.Should().Be("ta_shop_".Length + 43, "32 random bytes are 43 base64url characters");
        (await StoredSecretAsync(2)).Should().Be(secret);
        (await AuditActionsAsync(2)).Should().Equal("shop.api_secret.create");
        (await PostOrderAsync(2, secret)).Should().Be(HttpStatusCode.OK);

        var later = await browser.PageAsync("/Seller/ApiSecrets");
        later.Should().NotContain(secret, "the secret is shown once, on creation");
        later.Should().Contain("data-shop=\"2\" data-has-secret=\"true\"");
        ShownSecret(later).Should().BeNull();
    }

    [Fact]
    public async Task Rotating_a_secret_stops_the_old_one_at_once_and_the_new_one_signs_orders()
    {
        using var browser = await app.SignedInAsync(Seller1, Seller1Password);
        (await PostOrderAsync(1, Shop1DemoSecret)).Should().Be(HttpStatusCode.OK, "the demo secret works before the rotation");

        using var response = await GenerateAsync(browser, 1);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var secret = ShownSecret(await response.Content.ReadAsStringAsync())!;
        secret.Should().StartWith("ta_shop_").And.NotBe(Shop1DemoSecret);
        (await PostOrderAsync(1, Shop1DemoSecret)).Should().Be(HttpStatusCode.Unauthorized);
        (await PostOrderAsync(1, secret)).Should().Be(HttpStatusCode.OK);
        (await AuditActionsAsync(1)).Should().Equal("shop.api_secret.rotate");

        using var again = await GenerateAsync(browser, 1);
        var third = ShownSecret(await again.Content.ReadAsStringAsync())!;
        third.Should().NotBe(secret);
        (await PostOrderAsync(1, secret)).Should().Be(HttpStatusCode.Unauthorized);
        (await PostOrderAsync(1, third)).Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Another_sellers_shop_answers_404_and_keeps_its_secret()
    {
        using var browser = await app.SignedInAsync(Seller1, Seller1Password);
        var page = await browser.PageAsync("/Seller/ApiSecrets");
        page.Should().NotContain("data-shop=\"6\"", "seller1 sees only their own shops");
        var before = await StoredSecretAsync(6);

        using var response = await browser.PostAsync("/Seller/ApiSecrets?handler=Secret", [new("shopId", "6")], tokenPage: "/Seller/ApiSecrets");

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await StoredSecretAsync(6)).Should().Be(before);
        (await AuditActionsAsync(6)).Should().BeEmpty();
    }

    [GeneratedRegex("id=\"new-secret\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex SecretPattern();
}
