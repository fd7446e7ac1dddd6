using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;
using TaobaoAlliance.Web.Clicks;
using TaobaoAlliance.Application.Clicks;

namespace TaobaoAlliance.Web.Tests.Clicks;

public sealed class ShortLinkTests(AllianceApp app) : IClassFixture<AllianceApp>
{
    [Fact]
    public async Task A_short_link_records_one_committed_click_with_every_field_and_redirects_to_the_item_with_its_id()
    {
        app.Clock.Advance(TimeSpan.FromMinutes(5)); // out of reach of the rate limit of earlier tests on the demo site
        await using var db = app.NewDb();
        var link = await db.Links.AsNoTracking().Include(l => l.Item).ThenInclude(i => i.Shop).SingleAsync(l => l.Code == "gF7kQ2xA");
        var clicksBefore = await app.ClickCountAsync();
        var client = app.Shopper();
        var request = new HttpRequestMessage(HttpMethod.Get, "/c/gF7kQ2xA");
        request.Headers.Referrer = new Uri("https://gadgetfans.example.com/reviews/earbuds");

        var response = await client.SendAsync(request);

        // The row is read right after the response, on another connection: it was committed before the 302.
        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        var clickId = response.ClickId();
        response.Headers.Location!.OriginalString.Should().Be($"/item/{link.ItemId}?alliance_click={clickId:N}");
        (await app.ClickCountAsync()).Should().Be(clicksBefore + 1);
        var click = await app.ClickAsync(clickId);
        clickId.Version.Should().Be(7);
        click.OccurredAt.Should().Be(app.Clock.GetUtcNow());
        click.LinkId.Should().Be(link.Id);
        click.WebmasterId.Should().Be(link.WebmasterId);
        click.SiteId.Should().Be(link.SiteId);
        click.ZoneId.Should().Be(link.ZoneId);
        click.ItemId.Should().Be(14);
        click.ShopId.Should().Be(link.Item.ShopId);
        click.VisitorId.Should().Be(VisitorIdFrom(response));
        click.IpHash.Should().Equal(app.ExpectedIpHash(ClickRecorder.UnknownAddress), "the in-process test server reports no client address");
        click.UserAgent.Should().Be(ClickTesting.Chrome);
        click.Referrer.Should().Be("https://gadgetfans.example.com/reviews/earbuds");
        click.IsValid.Should().BeTrue();
        click.InvalidReason.Should().BeNull();
        click.ItemRateBp.Should().Be(link.Item.CommissionRateBp ?? link.Item.Shop.GeneralRateBp);
        click.ShopRateBp.Should().Be(link.Item.Shop.GeneralRateBp);
        click.CampaignId.Should().BeNull();
        response.Headers.CacheControl!.NoStore.Should().BeTrue("a cached redirect would skip the click");
    }

    [Fact]
    public async Task The_visitor_cookie_is_set_for_a_year_HttpOnly_and_Lax_and_the_next_click_reuses_it()
    {
        var client = app.Shopper();

        var first = await client.GetAsync("/c/gF7kQ2xA");

        var cookie = SetCookieHeaderValue.ParseList(first.Headers.GetValues("Set-Cookie").ToList()).Single(c => c.Name == VisitorCookie.Name);
        cookie.HttpOnly.Should().BeTrue();
        cookie.SameSite.Should().Be(SameSiteMode.Lax);
        cookie.Path.ToString().Should().Be("/");
        cookie.Expires.Should().BeCloseTo(app.Clock.GetUtcNow().AddYears(1), TimeSpan.FromSeconds(1));
        var visitorId = Guid.Parse(cookie.Value.ToString());
        (await app.ClickAsync(first.ClickId())).VisitorId.Should().Be(visitorId);

        var again = new HttpRequestMessage(HttpMethod.Get, "/c/gF9mT4wB");
        again.Headers.Add("Cookie", $"{VisitorCookie.Name}={cookie.Value}");
        var second = await client.SendAsync(again);

        second.Headers.Contains("Set-Cookie").Should().BeFalse("the visitor already has an id");
        (await app.ClickAsync(second.ClickId())).VisitorId.Should().Be(visitorId);
    }

    [Fact]
    public async Task Shoppers_without_the_cookie_get_different_visitor_ids()
    {
        var client = app.Shopper();

        var one = await app.ClickAsync((await client.GetAsync("/c/gF7kQ2xA")).ClickId());
        var two = await app.ClickAsync((await client.GetAsync("/c/gF7kQ2xA")).ClickId());

        one.VisitorId.Should().NotBe(two.VisitorId);
        one.Id.Should().NotBe(two.Id);
    }

    [Fact]
    public async Task The_ip_hash_is_sha256_of_the_salt_and_the_address_and_an_ipv4_mapped_address_hashes_as_ipv4()
    {
        var link = await app.NewLinkAsync();

        var v4 = await app.GetFromAsync($"/c/{link.Code}", "203.0.113.7");
        var mapped = await app.GetFromAsync($"/c/{link.Code}", "::ffff:203.0.113.7");
        var other = await app.GetFromAsync($"/c/{link.Code}", "2001:db8::1");

        // The three share one millisecond of the test clock, so their ids do not say which came first.
        var v4Hash = Convert.ToHexString(app.ExpectedIpHash("203.0.113.7"));
        var v6Hash = Convert.ToHexString(app.ExpectedIpHash("2001:db8::1"));
        (await app.ClicksOnSiteAsync(link.SiteId)).Select(c => Convert.ToHexString(c.IpHash)).Should().BeEquivalentTo([v4Hash, v4Hash, v6Hash]);
        new[] { v4, mapped, other }.Should().OnlyContain(c => c.Response.StatusCode == 302);
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("HEAD")]
    public async Task An_unknown_code_answers_404_with_the_friendly_page_and_records_nothing(string method)
    {
        var clicksBefore = await app.ClickCountAsync();

        var response = await app.Shopper().SendAsync(new HttpRequestMessage(new HttpMethod(method), "/c/noSuchCode"));

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        if (method == "GET") (await response.Content.ReadAsStringAsync()).Should().Contain("Page not found");
        (await app.ClickCountAsync()).Should().Be(clicksBefore);
    }

    [Fact]
    public async Task A_redirect_skips_the_pages_security_headers_but_a_link_that_leads_nowhere_gets_the_page_with_them_in_the_shoppers_language()
    {
        var link = await app.NewLinkAsync(itemId: 38);
        var shopper = app.Shopper();
        shopper.DefaultRequestHeaders.AcceptLanguage.ParseAdd("zh-Hans");

        var redirect = await shopper.GetAsync($"/c/{link.Code}");
        var nowhere = await shopper.GetAsync("/c/noSuchCode");

        redirect.StatusCode.Should().Be(HttpStatusCode.Redirect);
        redirect.Headers.Contains("Content-Security-Policy").Should().BeFalse("a 302 has no content to protect");
        nowhere.StatusCode.Should().Be(HttpStatusCode.NotFound);
        nowhere.Headers.GetValues("Content-Security-Policy").Single().Should().Contain("frame-ancestors 'none'");
        (await nowhere.Content.ReadAsStringAsync()).Should().Contain("页面不存在");
    }

    [Fact]
    public async Task A_link_to_an_item_no_longer_listed_answers_404_and_records_nothing()
    {
        var link = await app.NewLinkAsync(itemId: 41);
        await using (var db = app.NewDb())
        {
            await db.Items.Where(i => i.Id == 41).ExecuteUpdateAsync(s => s.SetProperty(i => i.IsListed, false));
        }

        var response = await app.Shopper().GetAsync($"/c/{link.Code}");

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await response.Content.ReadAsStringAsync()).Should().Contain("Page not found");
        (await app.ClicksOnSiteAsync(link.SiteId)).Should().BeEmpty();
    }

    [Theory]
    [InlineData("?url=https://evil.example")]
    [InlineData("?redirect=//evil.example&next=https:%2F%2Fevil.example")]
    [InlineData("?item=999&alliance_click=00000000000000000000000000000000")]
    [InlineData("?returnUrl=%2F%2Fevil.example%2F")]
    public async Task A_short_link_only_ever_redirects_to_its_item_whatever_the_query_says(string suffix)
    {
        var link = await app.NewLinkAsync();

        var response = await app.Shopper().GetAsync($"/c/{link.Code}{suffix}");

        var clickId = response.ClickId();
        response.Headers.Location!.OriginalString.Should().Be($"/item/{link.ItemId}?alliance_click={clickId:N}");
        response.Headers.Location.IsAbsoluteUri.Should().BeFalse();
    }

    private static Guid VisitorIdFrom(HttpResponseMessage response) =>
        Guid.Parse(SetCookieHeaderValue.ParseList(response.Headers.GetValues("Set-Cookie").ToList())
            .Single(c => c.Name == VisitorCookie.Name).Value.ToString());
}
