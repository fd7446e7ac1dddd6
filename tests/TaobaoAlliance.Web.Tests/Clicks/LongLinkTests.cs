using System.Net;
using Microsoft.EntityFrameworkCore;

namespace TaobaoAlliance.Web.Tests.Clicks;

public sealed class LongLinkTests(AllianceApp app) : IClassFixture<AllianceApp>
{
    [Fact]
    public async Task A_long_link_records_a_click_for_the_pid_without_a_link_and_redirects_to_the_item()
    {
        var link = await app.NewLinkAsync(itemId: 23);
        await using var db = app.NewDb();
        var item = await db.Items.AsNoTracking().Include(i => i.Shop).SingleAsync(i => i.Id == 23);

        var response = await app.Shopper().GetAsync($"/c?pid={link.Pid}&item=23");

        var clickId = response.ClickId();
        response.Headers.Location!.OriginalString.Should().Be($"/item/23?alliance_click={clickId:N}");
        var click = await app.ClickAsync(clickId);
        click.LinkId.Should().BeNull();
        click.WebmasterId.Should().Be(link.WebmasterId);
        click.SiteId.Should().Be(link.SiteId);
        click.ZoneId.Should().Be(link.ZoneId);
        click.ItemId.Should().Be(23);
        click.ShopId.Should().Be(item.ShopId);
        click.IsValid.Should().BeTrue();
        click.ItemRateBp.Should().Be(item.CommissionRateBp ?? item.Shop.GeneralRateBp);
        click.ShopRateBp.Should().Be(item.Shop.GeneralRateBp);
        response.Headers.Contains("Set-Cookie").Should().BeTrue();
    }

    [Fact]
    public async Task A_long_link_to_any_listed_item_works_not_only_to_items_that_have_a_short_link()
    {
        var link = await app.NewLinkAsync(itemId: 14);

        var response = await app.Shopper().GetAsync($"/c?item=57&pid={link.Pid}");

        (await app.ClickAsync(response.ClickId())).ItemId.Should().Be(57);
    }

    [Theory]
    [InlineData("")]
    [InlineData("pid=garbage&")]
    [InlineData("pid=mm_1_2&")]
    [InlineData("pid={webmaster}_{site}_{zone}&")]
    [InlineData("pid=mm_{webmaster}_{site}_{otherZone}&")]     // a zone of another site
    [InlineData("pid=mm_{otherWebmaster}_{site}_{zone}&")]     // the site belongs to someone else
    [InlineData("pid=mm_{webmaster}_{site}_987654&")]          // no such zone
    public async Task A_long_link_with_a_bad_pid_goes_to_the_item_and_records_no_click(string pidPart)
    {
        var link = await app.NewLinkAsync();
        var other = await app.NewLinkAsync(webmaster: "webmaster2");
        var query = pidPart
            .Replace("{webmaster}", link.WebmasterId.ToString(), StringComparison.Ordinal)
            .Replace("{site}", link.SiteId.ToString(), StringComparison.Ordinal)
            .Replace("{zone}", link.ZoneId.ToString(), StringComparison.Ordinal)
            .Replace("{otherZone}", other.ZoneId.ToString(), StringComparison.Ordinal)
            .Replace("{otherWebmaster}", other.WebmasterId.ToString(), StringComparison.Ordinal);
        var clicksBefore = await app.ClickCountAsync();

        var response = await app.Shopper().GetAsync($"/c?{query}item=14");

        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        response.Headers.Location!.OriginalString.Should().Be("/item/14");
        (await app.ClickCountAsync()).Should().Be(clicksBefore);
    }

    [Theory]
    [InlineData("987654")]
    [InlineData("abc")]
    [InlineData("")]
    [InlineData("-14")]
    [InlineData("14.0")]
    [InlineData("%2F%2Fevil.example")]
    [InlineData("{unlisted}")]
    public async Task A_long_link_to_an_unknown_or_unlisted_item_answers_404_with_the_friendly_page(string item)
    {
        var link = await app.NewLinkAsync();
        await using (var db = app.NewDb())
        {
            await db.Items.Where(i => i.Id == 42).ExecuteUpdateAsync(s => s.SetProperty(i => i.IsListed, false));
        }
        var clicksBefore = await app.ClickCountAsync();

        var response = await app.Shopper().GetAsync($"/c?pid={link.Pid}&item={item.Replace("{unlisted}", "42", StringComparison.Ordinal)}");

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await response.Content.ReadAsStringAsync()).Should().Contain("Page not found");
        (await app.ClickCountAsync()).Should().Be(clicksBefore);
    }

    [Fact]
    public async Task A_long_link_without_an_item_answers_404()
    {
        var link = await app.NewLinkAsync();

        var response = await app.Shopper().GetAsync($"/c?pid={link.Pid}");

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("&url=https://evil.example")]
    [InlineData("&redirect=%2F%2Fevil.example")]
    [InlineData("&returnUrl=https:%2F%2Fevil.example%2F&alliance_click=00000000000000000000000000000000")]
    public async Task A_long_link_only_ever_redirects_to_its_item_whatever_else_the_query_says(string extra)
    {
        var link = await app.NewLinkAsync();

        var response = await app.Shopper().GetAsync($"/c?pid={link.Pid}&item=14{extra}");

        var clickId = response.ClickId();
        response.Headers.Location!.OriginalString.Should().Be($"/item/14?alliance_click={clickId:N}");
    }

    [Fact]
    public async Task A_long_link_with_a_second_item_parameter_is_not_followed_anywhere()
    {
        var link = await app.NewLinkAsync();

        var response = await app.Shopper().GetAsync($"/c?pid={link.Pid}&item=14&item=https://evil.example");

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }
}
