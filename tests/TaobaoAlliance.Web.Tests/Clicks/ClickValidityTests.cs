using System.Net;
using TaobaoAlliance.Data.Sites;
using TaobaoAlliance.Attribution.Sites;

namespace TaobaoAlliance.Web.Tests.Clicks;

public sealed class ClickValidityTests(AllianceApp app) : IClassFixture<AllianceApp>
{
    [Theory]
    [InlineData(SiteState.Pending)]
    [InlineData(SiteState.Rejected)]
    [InlineData(SiteState.Suspended)]
    public async Task A_click_on_a_site_that_is_not_approved_still_redirects_but_is_recorded_invalid(SiteState state)
    {
        var link = await app.NewLinkAsync(state: state);

        var response = await app.Shopper().GetAsync($"/c/{link.Code}");

        var click = await app.ClickAsync(response.ClickId());
        response.Headers.Location!.OriginalString.Should().StartWith($"/item/{link.ItemId}?alliance_click=");
        click.IsValid.Should().BeFalse();
        click.InvalidReason.Should().Be("site_not_approved");
    }

    [Fact]
    public async Task A_long_link_on_a_suspended_site_is_recorded_invalid_too()
    {
        var link = await app.NewLinkAsync(state: SiteState.Suspended);

        var response = await app.Shopper().GetAsync($"/c?pid={link.Pid}&item=14");

        (await app.ClickAsync(response.ClickId())).InvalidReason.Should().Be("site_not_approved");
    }

    [Fact]
    public async Task A_click_on_a_paused_link_still_redirects_but_is_recorded_invalid()
    {
        var link = await app.NewLinkAsync(paused: true);

        var response = await app.Shopper().GetAsync($"/c/{link.Code}");

        var click = await app.ClickAsync(response.ClickId());
        click.IsValid.Should().BeFalse();
        click.InvalidReason.Should().Be("link_paused");
    }

    [Theory]
    [InlineData("GET", "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", "bot_user_agent")]
    [InlineData("GET", "python-requests/2.31.0", "bot_user_agent")]
    [InlineData("GET", "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)", "link_preview")]
    [InlineData("GET", "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)", "link_preview")]
    [InlineData("GET", "WhatsApp/2.23.20.0 A", "link_preview")]
    [InlineData("HEAD", ClickTesting.Chrome, "link_preview")]
    [InlineData("GET", null, "no_user_agent")]
    public async Task Bots_previews_HEAD_requests_and_missing_user_agents_are_redirected_but_recorded_invalid(
        string method, string? userAgent, string reason)
    {
        var link = await app.NewLinkAsync();
        var client = app.CreateClient(new() { AllowAutoRedirect = false });
        var request = new HttpRequestMessage(new HttpMethod(method), $"/c/{link.Code}");
        if (userAgent is not null) request.Headers.TryAddWithoutValidation("User-Agent", userAgent);

        var response = await client.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        var click = await app.ClickAsync(response.ClickId());
        click.IsValid.Should().BeFalse();
        click.InvalidReason.Should().Be(reason);
        click.UserAgent.Should().Be(userAgent);
    }

    [Fact]
    public async Task A_very_long_user_agent_and_referrer_are_cut_to_fit()
    {
        var link = await app.NewLinkAsync();
        var request = new HttpRequestMessage(HttpMethod.Get, $"/c/{link.Code}");
        request.Headers.Referrer = new Uri("https://test.example.com/" + new string('r', 2000));
        request.Headers.TryAddWithoutValidation("User-Agent", "Mozilla/5.0 " + new string('u', 1000));

        var response = await app.CreateClient(new() { AllowAutoRedirect = false }).SendAsync(request);

        var click = await app.ClickAsync(response.ClickId());
        click.UserAgent.Should().HaveLength(512).And.StartWith("Mozilla/5.0 uuu");
        click.Referrer.Should().HaveLength(1024).And.StartWith("https://test.example.com/rrr");
        click.IsValid.Should().BeTrue();
    }

    [Fact]
    public async Task The_eleventh_click_in_a_minute_from_one_ip_on_one_site_is_rate_limited_until_the_minute_has_passed()
    {
        var link = await app.NewLinkAsync();
        var otherSite = await app.NewLinkAsync();
        var client = app.Shopper();
        var firstTen = new List<Guid>();
        for (var i = 0; i < 10; i++)
        {
            firstTen.Add((await client.GetAsync($"/c/{link.Code}")).ClickId());
            app.Clock.Advance(TimeSpan.FromSeconds(5)); // ten clicks over 50 seconds: all still within the minute
        }

        var eleventh = await app.ClickAsync((await client.GetAsync($"/c/{link.Code}")).ClickId());
        var onAnotherSite = await app.ClickAsync((await client.GetAsync($"/c/{otherSite.Code}")).ClickId());
        var fromAnotherIp = (await app.GetFromAsync($"/c/{link.Code}", "198.51.100.20")).Response.StatusCode;
        app.Clock.Advance(TimeSpan.FromSeconds(61));
        var aMinuteLater = await app.ClickAsync((await client.GetAsync($"/c/{link.Code}")).ClickId());

        foreach (var id in firstTen) (await app.ClickAsync(id)).IsValid.Should().BeTrue();
        eleventh.IsValid.Should().BeFalse();
        eleventh.InvalidReason.Should().Be("ip_rate_limit");
        onAnotherSite.IsValid.Should().BeTrue("the limit is per site");
        fromAnotherIp.Should().Be(302);
        (await app.ClicksOnSiteAsync(link.SiteId)).Single(c => c.IpHash.SequenceEqual(app.ExpectedIpHash("198.51.100.20")))
            .IsValid.Should().BeTrue("the limit is per IP");
        aMinuteLater.IsValid.Should().BeTrue("clicks older than a minute no longer count");
    }

    [Fact]
    public async Task The_rate_limit_counts_clicks_from_the_last_sixty_seconds_only()
    {
        var link = await app.NewLinkAsync();
        var client = app.Shopper();
        for (var i = 0; i < 10; i++) await client.GetAsync($"/c/{link.Code}");

        app.Clock.Advance(TimeSpan.FromSeconds(59));
        var withinTheMinute = await app.ClickAsync((await client.GetAsync($"/c/{link.Code}")).ClickId());
        app.Clock.Advance(TimeSpan.FromSeconds(2));
        var justAfter = await app.ClickAsync((await client.GetAsync($"/c/{link.Code}")).ClickId());

        withinTheMinute.InvalidReason.Should().Be("ip_rate_limit");
        justAfter.IsValid.Should().BeTrue("the ten clicks are now 61 s old; only the rate-limited one is within the minute");
    }
}
