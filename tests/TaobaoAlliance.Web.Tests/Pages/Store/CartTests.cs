using System.Net;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.EntityFrameworkCore;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Web.Tests.Pages.Account;

namespace TaobaoAlliance.Web.Tests.Pages.Store;

/// <summary>The cart: adding from the item page, lines grouped by shop, quantities and totals.</summary>
public sealed class CartTests(AllianceApp app) : IClassFixture<AllianceApp>
{
    private static readonly HtmlEncoder Html = HtmlEncoder.Create(UnicodeRanges.All);

    [Fact]
    public async Task Items_added_from_the_item_page_show_in_the_cart_grouped_by_shop_with_totals()
    {
        using var browser = await BrowserSession.NewBuyerAsync(app);
        await using var db = app.NewDb();
        var first = await db.Items.Where(i => i.Id == 14).Select(i => new { i.Id, i.TitleEn, i.PriceFen, Shop = i.Shop.NameEn }).SingleAsync();
        var second = await db.Items.Where(i => i.ShopId != 1 && i.IsListed).OrderBy(i => i.Id)
            .Select(i => new { i.Id, i.TitleEn, i.PriceFen, Shop = i.Shop.NameEn }).FirstAsync();

        await browser.AddToCartAsync(first.Id, 2);
        await browser.AddToCartAsync(second.Id, 1);
        await browser.AddToCartAsync(first.Id, 1);
        var cart = await browser.PageAsync("/cart");

        cart.Should().Contain(Html.Encode(first.TitleEn)).And.Contain(Html.Encode(second.TitleEn))
            .And.Contain(Html.Encode(first.Shop)).And.Contain(Html.Encode(second.Shop));
        cart.Should().Contain(new Money(first.PriceFen * 3).ToString(), "adding the same item again adds to its quantity");
        cart.Should().Contain($"class=\"price grand-total\">{new Money(first.PriceFen * 3 + second.PriceFen)}<");
        (await browser.PageAsync("/")).Should().Contain("class=\"badge rounded-pill text-bg-light cart-count\">4<", "the navbar counts the items");
        var lines = await db.CartLines.Where(c => c.ItemId == first.Id || c.ItemId == second.Id).Where(c => db.Users.Any(u => u.Id == c.UserId && u.Email == browser.Email))
            .ToDictionaryAsync(c => c.ItemId, c => c.Quantity);
        lines.Should().Equal(new Dictionary<long, int> { [first.Id] = 3, [second.Id] = 1 });
    }

    [Fact]
    public async Task The_cart_shows_Chinese_titles_to_a_Chinese_browser()
    {
        using var browser = await BrowserSession.NewBuyerAsync(app, acceptLanguage: "zh-CN");
        await browser.AddToCartAsync(14, 1);
        await using var db = app.NewDb();
        var item = await db.Items.Where(i => i.Id == 14).Select(i => new { i.TitleZh, i.TitleEn, Shop = i.Shop.NameZh }).SingleAsync();

        var cart = await browser.PageAsync("/cart");

        cart.Should().Contain(item.TitleZh).And.Contain(item.Shop).And.Contain("提交订单").And.NotContain(Html.Encode(item.TitleEn));
    }

    [Fact]
    public async Task Quantities_can_be_changed_and_lines_removed()
    {
        using var browser = await BrowserSession.NewBuyerAsync(app);
        await browser.AddToCartAsync(14, 1);
        await browser.AddToCartAsync(23, 1);

        using (var update = await browser.SubmitAsync("/cart", "/cart?handler=Update", new Dictionary<string, string> { ["quantity"] = "5" },
            pick: f => f.Fields["itemId"] == "14"))
        {
            update.StatusCode.Should().Be(HttpStatusCode.Redirect);
        }
        using (var remove = await browser.SubmitAsync("/cart", "/cart?handler=Remove", pick: f => f.Fields["itemId"] == "23"))
        {
            remove.StatusCode.Should().Be(HttpStatusCode.Redirect);
        }

        (await CartOfAsync(browser)).Should().Equal(new Dictionary<long, int> { [14] = 5 });
        (await browser.PageAsync("/cart")).Should().Contain("Removed from your cart.");
    }

    [Theory]
    [InlineData("0")]
    [InlineData("100")]
    [InlineData("-3")]
    [InlineData("lots")]
    public async Task A_quantity_outside_1_to_99_is_refused_and_nothing_changes(string quantity)
    {
        using var browser = await BrowserSession.NewBuyerAsync(app);
        await browser.AddToCartAsync(14, 2);

        using var add = await browser.SubmitAsync("/item/14", "/item/14?handler=AddToCart", new Dictionary<string, string> { ["Quantity"] = quantity });
        using var update = await browser.SubmitAsync("/cart", "/cart?handler=Update", new Dictionary<string, string> { ["quantity"] = quantity });

        add.StatusCode.Should().Be(HttpStatusCode.OK, "the item page comes back with a message");
        (await add.Content.ReadAsStringAsync()).Should().MatchRegex("The quantity must be between 1 and 99.|is not valid for Quantity");
        update.StatusCode.Should().Be(HttpStatusCode.OK);
        (await update.Content.ReadAsStringAsync()).Should().MatchRegex("The quantity must be between 1 and 99.|is not valid for Quantity");
        (await CartOfAsync(browser)).Should().Equal(new Dictionary<long, int> { [14] = 2 });
    }

    [Fact]
    public async Task Add_to_cart_while_signed_out_comes_back_after_sign_in_to_finish_adding_the_item()
    {
        using (var account = await BrowserSession.NewBuyerAsync(app))
        {
            using var shopper = new BrowserSession(app);
            var item = await shopper.PageAsync("/item/14");
            var signInForm = BrowserSession.Forms(item).Single(f => f.Action == "/Account/SignIn");
            signInForm.Fields["ReturnUrl"].Should().Be("/item/14?add=true");

            using var signedIn = await shopper.SubmitAsync("/Account/SignIn?ReturnUrl=" + Uri.EscapeDataString(signInForm.Fields["ReturnUrl"]),
                f => f.Fields.ContainsKey("Input.Email"),
                new Dictionary<string, string> { ["Input.Email"] = account.Email!, ["Input.Password"] = "Shopper!pass1" });
            signedIn.StatusCode.Should().Be(HttpStatusCode.Redirect);
            signedIn.Headers.Location!.ToString().Should().EndWith("/item/14?add=true");

            var back = await shopper.PageAsync("/item/14?add=true");
            back.Should().Contain("resume-add").And.Contain("?handler=AddToCart");
            (await CartOfAsync(account)).Should().BeEmpty("coming back offers to add; it does not add by itself");
            using var added = await shopper.SubmitAsync("/item/14?add=true", "/item/14?handler=AddToCart", new Dictionary<string, string> { ["Quantity"] = "2" });
            added.StatusCode.Should().Be(HttpStatusCode.Redirect);
            (await CartOfAsync(account)).Should().Equal(new Dictionary<long, int> { [14] = 2 });
        }
    }

    [Fact]
    public async Task A_line_never_goes_past_99()
    {
        using var browser = await BrowserSession.NewBuyerAsync(app);

        await browser.AddToCartAsync(14, 60);
        await browser.AddToCartAsync(14, 60);

        (await CartOfAsync(browser)).Should().Equal(new Dictionary<long, int> { [14] = 99 });
    }

    [Fact]
    public async Task An_unlisted_item_cannot_be_added()
    {
        using var browser = await BrowserSession.NewBuyerAsync(app);
        var token = AntiforgeryToken.From(await browser.PageAsync("/item/14"));
        await using (var db = app.NewDb())
        {
            await db.Items.Where(i => i.Id == 15).ExecuteUpdateAsync(s => s.SetProperty(i => i.IsListed, false));
        }
        try
        {
            using var response = await browser.PostRawAsync("/item/15?handler=AddToCart", new Dictionary<string, string>
            {
                ["Quantity"] = "1", ["__RequestVerificationToken"] = token,
            });

            response.StatusCode.Should().Be(HttpStatusCode.NotFound);
            (await CartOfAsync(browser)).Should().BeEmpty();
        }
        finally
        {
            await using var db = app.NewDb();
            await db.Items.Where(i => i.Id == 15).ExecuteUpdateAsync(s => s.SetProperty(i => i.IsListed, true));
        }
    }

    private async Task<Dictionary<long, int>> CartOfAsync(BrowserSession browser)
    {
        await using var db = app.NewDb();
        var userId = await db.Users.Where(u => u.Email == browser.Email).Select(u => u.Id).SingleAsync();
        return await db.CartLines.Where(c => c.UserId == userId).ToDictionaryAsync(c => c.ItemId, c => c.Quantity);
    }
}
