using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using TaobaoAlliance.Application.Hooks;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Data.Hooks;

namespace TaobaoAlliance.Web.Tests.Hooks;

/// <summary>The webmaster's postback page and the seller's webhook page: forms, messages, secrets shown once, owners only.</summary>
public sealed partial class HookPageTests(OutboxOnlyApp app) : IClassFixture<OutboxOnlyApp>
{
    private static string Postback(long siteId) => $"/Webmaster/Sites/{siteId}/Postback";

    private static string? ShownSecret(string html) => SecretPattern().Match(html) is { Success: true } m ? m.Groups[1].Value : null;

    [GeneratedRegex("id=\"new-secret\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex SecretPattern();

    /// <summary>The delivery log's row of one message (its HTML).</summary>
    private static string Row(string html, long messageId)
    {
        var start = html.IndexOf($"data-message=\"{messageId.ToString(System.Globalization.CultureInfo.InvariantCulture)}\"", StringComparison.Ordinal);
        start.Should().BeGreaterThan(0, "the delivery log lists message {0}", messageId);
        return html[start..html.IndexOf("</tr>", start, StringComparison.Ordinal)];
    }

    private async Task<int> EndpointCountAsync(long siteId)
    {
        await using var db = app.NewDb();
        return await db.HookEndpoints.CountAsync(e => e.SiteId == siteId);
    }

    [Theory]
    [InlineData("https://t.example/pb?cid={clickid}", "Only these macros can be used")]
    [InlineData("not an address", "Enter a full http:// or https:// address.")]
    [InlineData("https://{sub1}.t.example/pb", "not in the host name")]
    public async Task A_bad_template_is_refused_with_a_form_message_and_saves_nothing(string template, string message)
    {
        using var me = await app.NewSignedInWebmasterAsync();
        using var response = await me.Browser.SubmitAsync(Postback(me.Webmaster.SiteId), f => f.Action.EndsWith("handler=Save", StringComparison.Ordinal),
            new Dictionary<string, string> { ["template"] = template });
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var html = await response.Content.ReadAsStringAsync();
        Text(html).Should().Contain(message);
        InputValue(html, "template").Should().Be(template, "what was typed stays in the field to be fixed");
        (await EndpointCountAsync(me.Webmaster.SiteId)).Should().Be(0);
    }

    [Fact]
    public async Task A_good_template_is_saved_its_secret_shown_once_and_rotating_makes_a_new_one()
    {
        using var me = await app.NewSignedInWebmasterAsync();
        var page = Postback(me.Webmaster.SiteId);
        using var saved = await me.Browser.SubmitAsync(page, f => f.Action.EndsWith("handler=Save", StringComparison.Ordinal),
            new Dictionary<string, string> { ["template"] = "https://t.example/pb?cid={click_id}&amount={commission_fen}" });
        saved.StatusCode.Should().Be(HttpStatusCode.OK);
        saved.Headers.CacheControl!.NoStore.Should().BeTrue();
        var secret = ShownSecret(await saved.Content.ReadAsStringAsync());
        secret.Should().StartWith("ta_pb_");
        await using (var db = app.NewDb())
        {
            var endpoint = await db.HookEndpoints.SingleAsync(e => e.SiteId == me.Webmaster.SiteId);
            endpoint.Secret.Should().Be(secret);
            endpoint.Url.Should().Be("https://t.example/pb?cid={click_id}&amount={commission_fen}");
        }
        var later = await me.Browser.PageAsync(page);
        ShownSecret(later).Should().BeNull("the secret is shown once");
        InputValue(later, "template").Should().Be("https://t.example/pb?cid={click_id}&amount={commission_fen}");

        using var rotated = await me.Browser.SubmitAsync(page, f => f.Action.EndsWith("handler=Rotate", StringComparison.Ordinal));
        var newSecret = ShownSecret(await rotated.Content.ReadAsStringAsync());
        newSecret.Should().NotBeNull().And.NotBe(secret);
    }

    [Fact]
    public async Task The_delivery_log_shows_each_message_and_send_again_makes_it_due_now()
    {
        using var me = await app.NewSignedInWebmasterAsync();
        var page = Postback(me.Webmaster.SiteId);
        (await me.Browser.SubmitAsync(page, f => f.Action.EndsWith("handler=Save", StringComparison.Ordinal),
            new Dictionary<string, string> { ["template"] = "https://t.example/pb?cid={click_id}" })).Dispose();
        long messageId;
        HookMessage waiting;
        var nextTry = app.Clock.GetUtcNow().AddMinutes(7);
        await using (var db = app.NewDb())
        {
            var endpointId = await db.HookEndpoints.Where(e => e.SiteId == me.Webmaster.SiteId).Select(e => e.Id).SingleAsync();
            var gaveUp = new HookMessage
            {
                EndpointId = endpointId, Event = HookEvents.CommissionCreated, Url = "https://t.example/pb?cid=x", Body = "{}",
                State = HookMessageState.GaveUp, Attempts = 31, LastStatus = 503, LastError = "HTTP 503",
                CreatedAt = app.Clock.GetUtcNow().AddDays(-2), NextAttemptAt = app.Clock.GetUtcNow().AddDays(-1), ExpiresAt = app.Clock.GetUtcNow().AddDays(-1),
            };
            db.HookMessages.Add(gaveUp);
            db.HookMessages.Add(waiting = new HookMessage
            {
                EndpointId = endpointId, Event = HookEvents.CommissionConfirmed, Url = "https://t.example/pb?cid=y", Body = "{}",
                State = HookMessageState.Pending, Attempts = 2, LastStatus = 500, LastError = "HTTP 500",
                CreatedAt = app.Clock.GetUtcNow().AddMinutes(-3), LastAttemptAt = app.Clock.GetUtcNow().AddMinutes(-1),
                NextAttemptAt = nextTry, ExpiresAt = app.Clock.GetUtcNow().AddHours(23),
            });
            await db.SaveChangesAsync();
            messageId = gaveUp.Id;
        }
        var html = await me.Browser.PageAsync(page);
        Text(html).Should().Contain("Commission created").And.Contain("Given up").And.Contain("503");
        // Each row: its status, the receiver's response code, the tries and when the next try is.
        var row = Row(html, waiting.Id);
        row.Should().Contain("data-state=\"Pending\"").And.Contain("data-status=\"500\"");
        Text(row).Should().Contain("Commission confirmed").And.Contain("Waiting").And.Contain("HTTP 500").And.Contain(" 2 ").And.Contain(" 500 ");
        row.Should().Contain($"datetime=\"{ChinaTime.Iso(nextTry)}\"", "the next try is shown");

        // Another webmaster cannot see the page nor send this site's messages again.
        using (var other = await app.NewSignedInWebmasterAsync())
        {
            (await other.Browser.GetAsync(page)).StatusCode.Should().Be(HttpStatusCode.NotFound);
            using var refused = await other.Browser.PostAsync($"{Postback(me.Webmaster.SiteId)}?handler=SendAgain",
                [new("messageId", messageId.ToString(System.Globalization.CultureInfo.InvariantCulture))], tokenPage: Postback(other.Webmaster.SiteId));
            refused.StatusCode.Should().Be(HttpStatusCode.NotFound);
        }

        using var again = await me.Browser.SubmitAsync(page, f => f.Action.EndsWith("handler=SendAgain", StringComparison.Ordinal)
            && f.Fields["messageId"] == messageId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        again.StatusCode.Should().Be(HttpStatusCode.Redirect);
        await using (var db = app.NewDb())
        {
            var message = await db.HookMessages.AsNoTracking().SingleAsync(m => m.Id == messageId);
            message.State.Should().Be(HookMessageState.Pending);
            message.NextAttemptAt.Should().Be(app.Clock.GetUtcNow());
            message.ExpiresAt.Should().Be(app.Clock.GetUtcNow().AddHours(24), "a fresh day of retries");
            message.Attempts.Should().Be(0);
        }
        var requeued = Row(await me.Browser.PageAsync(page), messageId);
        requeued.Should().Contain("data-state=\"Pending\"");
        Text(requeued).Should().Contain("Waiting").And.NotContain("Given up");
        requeued.Should().Contain($"datetime=\"{ChinaTime.Iso(app.Clock.GetUtcNow())}\"", "it is due now");
    }

    [Fact]
    public async Task The_seller_chooses_webhook_events_and_a_bad_url_or_no_event_is_refused_with_a_form_message()
    {
        using var seller = await app.DemoSellerAsync(1);
        await using var db = app.NewDb();
        var shopId = await db.Shops.Where(s => s.Seller.User.Email == "seller1@taobaoalliance.local").OrderBy(s => s.Id).Select(s => s.Id).FirstAsync();
        var page = $"/Seller/Webhooks?shopId={shopId}";
        bool Save(BrowserSession.Form f) => f.Action.Contains("handler=Save", StringComparison.Ordinal);

        using (var bad = await seller.SubmitAsync(page, Save, new Dictionary<string, string> { ["url"] = "ftp://shop.example/hook" }))
        {
            bad.StatusCode.Should().Be(HttpStatusCode.BadRequest);
            Text(await bad.Content.ReadAsStringAsync()).Should().Contain("Enter a full http:// or https:// address.");
        }
        var form = BrowserSession.Forms(await seller.PageAsync(page)).First(Save);
        var noEvents = form.Fields.Where(f => f.Key != "events").Append(new("url", "https://shop.example/hook"))
            .GroupBy(f => f.Key).Select(g => g.Last());
        using (var none = await seller.PostRawAsync(form.Action, noEvents))
        {
            none.StatusCode.Should().Be(HttpStatusCode.BadRequest);
            Text(await none.Content.ReadAsStringAsync()).Should().Contain("Choose at least one event.");
        }
        (await db.HookEndpoints.AnyAsync(e => e.ShopId == shopId)).Should().BeFalse();

        var chosen = form.Fields.Where(f => f.Key is not ("events" or "url"))
            .Append(new("url", "https://shop.example/hook")).Append(new("events", HookEvents.WalletLow)).Append(new("events", HookEvents.CampaignStopped));
        using var saved = await seller.PostRawAsync(form.Action, chosen);
        saved.StatusCode.Should().Be(HttpStatusCode.OK);
        ShownSecret(await saved.Content.ReadAsStringAsync()).Should().StartWith("ta_wh_");
        var endpoint = await db.HookEndpoints.AsNoTracking().SingleAsync(e => e.ShopId == shopId);
        endpoint.Events.Should().BeEquivalentTo([HookEvents.WalletLow, HookEvents.CampaignStopped]);

        using var zh = new BrowserSession(app, "zh-CN");
        await zh.SignInAsync("seller1@taobaoalliance.local", "Seller1!demo");
        Text(await zh.PageAsync(page)).Should().Contain("签名密钥").And.Contain("钱包余额不足");
    }

    [Fact]
    public async Task Another_sellers_shop_is_not_found()
    {
        using var seller = await app.DemoSellerAsync(2);
        await using var db = app.NewDb();
        var otherShop = await db.Shops.Where(s => s.Seller.User.Email == "seller1@taobaoalliance.local").Select(s => s.Id).FirstAsync();
        (await seller.GetAsync($"/Seller/Webhooks?shopId={otherShop}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        using var post = await seller.PostAsync("/Seller/Webhooks?handler=Save",
            [new("shopId", otherShop.ToString(System.Globalization.CultureInfo.InvariantCulture)), new("url", "https://x.example/h"), new("events", HookEvents.WalletLow)],
            tokenPage: "/Seller/Webhooks");
        post.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }
}
