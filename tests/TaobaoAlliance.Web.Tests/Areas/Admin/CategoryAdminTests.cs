using System.Globalization;
using System.Net;
using Microsoft.EntityFrameworkCore;
using TaobaoAlliance.Data.Catalog;
using TaobaoAlliance.Web.Tests.Areas.Seller.Shops;
using TaobaoAlliance.Web.Tests.Clicks;
using static TaobaoAlliance.Web.Tests.Areas.Admin.AdminTesting;

namespace TaobaoAlliance.Web.Tests.Areas.Admin;

/// <summary>
/// The admin's categories (issue 14): create, rename, reorder, retire and delete, every change audited and picked up by the
/// storefront menu (through its output cache), the item library and the seller's item editor; bad input and non-admins change nothing.
/// </summary>
public sealed class CategoryAdminTests(AllianceApp app) : IClassFixture<AllianceApp>
{
    private const string Index = "/Admin/Categories";

    private static Dictionary<string, string> NewCategory(string slug, string nameEn, string nameZh) => new()
    {
        ["Input.Slug"] = slug, ["Input.NameEn"] = nameEn, ["Input.NameZh"] = nameZh,
    };

    /// <summary>Sent to sign-in or access denied, or refused outright: what the app answers a user without the right.</summary>
    private static bool Refused(HttpResponseMessage response) =>
        response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden
        || (response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location?.OriginalString is { } location
            && (location.Contains("/Account/SignIn", StringComparison.Ordinal) || location.Contains("/Account/AccessDenied", StringComparison.Ordinal)));

    private static string Tag() => Guid.NewGuid().ToString("N")[..8];

    private async Task<Category?> CategoryAsync(string slug)
    {
        await using var db = app.NewDb();
        return await db.Categories.AsNoTracking().SingleOrDefaultAsync(c => c.Slug == slug);
    }

    private async Task<int> CategoryCountAsync()
    {
        await using var db = app.NewDb();
        return await db.Categories.CountAsync();
    }

    /// <summary>Creates a category through the form; its id.</summary>
    private async Task<Category> CreateAsync(BrowserSession admin, string tag)
    {
        using var created = await admin.PostAsync($"{Index}?handler=Create", NewCategory("pets-" + tag, "Pets " + tag, "宠物" + tag), Index);
        created.StatusCode.Should().Be(HttpStatusCode.Redirect, PageText.Messages(await created.Content.ReadAsStringAsync()));
        return (await CategoryAsync("pets-" + tag))!;
    }

    private static string Menu(string html) => html[html.IndexOf("category-pills", StringComparison.Ordinal)..html.IndexOf("</nav>", html.IndexOf("category-pills", StringComparison.Ordinal), StringComparison.Ordinal)];

    [Fact]
    public async Task A_created_category_is_audited_and_offered_in_the_storefront_menu_the_library_and_the_item_editor()
    {
        using var admin = await AdminAsync(app);
        using var shopper = app.Shopper();
        using var seller = await app.DemoSellerAsync(1);
        using var webmaster = await app.DemoWebmasterAsync(1);
        var shopId = await app.NewShopAsync(1);
        var tag = Tag();
        (await (await shopper.GetAsync("/")).Content.ReadAsStringAsync()).Should().NotContain("Pets " + tag); // the home page is now cached

        var category = await CreateAsync(admin, tag);

        (category.NameEn, category.NameZh, category.RetiredAt).Should().Be(("Pets " + tag, "宠物" + tag, (DateTimeOffset?)null));
        (await AuditAsync(app, "category", category.Id)).Select(a => a.Action).Should().Equal("category.create");
        var list = PageText.Text(await admin.PageAsync(Index));
        list.Should().Contain($"Category “Pets {tag}” created.").And.Contain("Pets " + tag).And.Contain("宠物" + tag).And.Contain("0 / 0");
        Menu(await (await shopper.GetAsync("/")).Content.ReadAsStringAsync()).Should().Contain($"?category={category.Id}\"", "the cached home page was dropped");
        (await seller.PageAsync($"/Seller/Shops/{shopId}/Items/Edit")).Should().Contain($"<option value=\"{category.Id}\">Pets {tag}</option>");
        (await webmaster.Browser.PageAsync("/Webmaster/Library")).Should().Contain($"<option value=\"{category.Id}\">Pets {tag}</option>");

        using var item = await seller.SubmitAsync($"/Seller/Shops/{shopId}/Items/Edit", f => f.Fields.ContainsKey("Input.TitleZh"), new Dictionary<string, string>
        {
            ["Input.TitleZh"] = "猫粮 " + tag, ["Input.TitleEn"] = "Cat food " + tag, ["Input.CategoryId"] = category.Id.ToString(CultureInfo.InvariantCulture),
            ["Input.PriceYuan"] = "59", ["Input.IsListed"] = "true",
        });
        item.StatusCode.Should().Be(HttpStatusCode.Redirect, PageText.Messages(await item.Content.ReadAsStringAsync()));
        PageText.Text(await admin.PageAsync(Index)).Should().Contain("1 / 1");
    }

    [Fact]
    public async Task Renaming_shows_the_new_names_in_both_languages_and_is_audited()
    {
        using var admin = await AdminAsync(app);
        var category = await CreateAsync(admin, Tag());
        using var chinese = new BrowserSession(app, "zh-CN");
        (await chinese.PageAsync("/")).Should().Contain(category.NameZh);
        var tag = Tag();

        using var renamed = await admin.SubmitAsync($"/Admin/Categories/Edit/{category.Id}", $"/Admin/Categories/Edit/{category.Id}",
            new Dictionary<string, string> { ["Input.NameEn"] = "Pet supplies " + tag, ["Input.NameZh"] = "宠物用品" + tag });

        renamed.StatusCode.Should().Be(HttpStatusCode.Redirect, PageText.Messages(await renamed.Content.ReadAsStringAsync()));
        var after = (await CategoryAsync(category.Slug))!;
        (after.NameEn, after.NameZh, after.Slug).Should().Be(("Pet supplies " + tag, "宠物用品" + tag, category.Slug), "the slug stays: CSV files name it");
        Menu(await chinese.PageAsync("/")).Should().Contain("宠物用品" + tag).And.NotContain(category.NameZh + "<");
        Menu(await new BrowserSession(app).PageAsync("/")).Should().Contain("Pet supplies " + tag);
        (await AuditAsync(app, "category", category.Id)).Select(a => a.Action).Should().Equal("category.create", "category.rename");
    }

    [Theory]
    [InlineData("books-again", "books", "新名字", "Another category already has this English name.")]
    [InlineData("books-again", "New name", "图书", "Another category already has this Chinese name.")]
    [InlineData("books", "New name", "新名字", "Another category already has this address name.")]
    [InlineData("Bad Slug", "New name", "新名字", "Use lowercase letters, digits and single hyphens")]
    [InlineData("fine-slug", "", "新名字", "English name is required.")]
    [InlineData("fine-slug", "New name", "", "Chinese name is required.")]
    public async Task A_duplicate_or_incomplete_category_is_refused_with_a_message_and_nothing_is_created(string slug, string nameEn, string nameZh, string message)
    {
        using var admin = await AdminAsync(app);
        var before = await CategoryCountAsync();

        using var response = await admin.PostAsync($"{Index}?handler=Create", NewCategory(slug, nameEn, nameZh), Index);

        response.StatusCode.Should().Be(HttpStatusCode.OK, "the form comes back with its message");
        PageText.Messages(await response.Content.ReadAsStringAsync()).Should().Contain(message);
        (await CategoryCountAsync()).Should().Be(before);
    }

    [Fact]
    public async Task Renaming_to_another_categorys_name_is_refused_and_changes_nothing()
    {
        using var admin = await AdminAsync(app);
        var category = await CreateAsync(admin, Tag());

        using var response = await admin.PostAsync($"/Admin/Categories/Edit/{category.Id}",
            new Dictionary<string, string> { ["Input.NameEn"] = "BOOKS", ["Input.NameZh"] = "新" + category.NameZh }, $"/Admin/Categories/Edit/{category.Id}");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        PageText.Messages(await response.Content.ReadAsStringAsync()).Should().Contain("Another category already has this English name.");
        (await CategoryAsync(category.Slug)).Should().BeEquivalentTo(new { category.NameEn, category.NameZh });
        (await AuditAsync(app, "category", category.Id)).Select(a => a.Action).Should().Equal("category.create");
    }

    [Fact]
    public async Task A_retired_category_leaves_the_menu_and_new_choices_but_its_items_stay_and_it_can_be_offered_again()
    {
        using var admin = await AdminAsync(app);
        using var seller = await app.DemoSellerAsync(1);
        var category = await CreateAsync(admin, Tag());
        var shopId = await app.NewShopAsync(1);
        long itemId;
        await using (var db = app.NewDb())
        {
            var item = new Item
            {
                ShopId = shopId, CategoryId = category.Id, TitleZh = "狗绳", TitleEn = "Dog lead", PriceFen = 2_500, ImageUrl = "/img/items/home-living.svg",
                CreatedAt = app.Clock.GetUtcNow(), UpdatedAt = app.Clock.GetUtcNow(),
            };
            db.Items.Add(item);
            await db.SaveChangesAsync();
            itemId = item.Id;
        }
        using var shopper = app.Shopper();
        Menu(await (await shopper.GetAsync("/")).Content.ReadAsStringAsync()).Should().Contain($"?category={category.Id}\"");

        using var retired = await admin.PostAsync($"{Index}?id={category.Id}&handler=Retire", [], Index);

        retired.StatusCode.Should().Be(HttpStatusCode.Redirect);
        (await CategoryAsync(category.Slug))!.RetiredAt.Should().Be(app.Clock.GetUtcNow());
        Menu(await (await shopper.GetAsync("/")).Content.ReadAsStringAsync()).Should().NotContain($"?category={category.Id}\"");
        var option = $"<option value=\"{category.Id}\"";
        (await seller.PageAsync($"/Seller/Shops/{shopId}/Items/Edit")).Should().NotContain(option, "a new item cannot choose it");
        (await seller.PageAsync($"/Seller/Shops/{shopId}/Items/Edit/{itemId}")).Should().Contain(option, "the item already in it keeps it");
        (await seller.PageAsync($"/Seller/Shops/{shopId}/Import")).Should().NotContain(category.Slug, "the import's list of categories leaves it out");
        using (var webmaster = await app.DemoWebmasterAsync(1))
        {
            (await webmaster.Browser.PageAsync("/Webmaster/Sites/Register")).Should().NotContain(option, "a new site cannot choose it");
        }
        using var import = await seller.UploadCsvAsync(shopId, SellerCatalogTesting.Utf8($"{SellerCatalogTesting.Header}\n猫砂,Cat litter,{category.Slug},30,5,\n"));
        SellerCatalogTesting.ImportErrors(await import.Content.ReadAsStringAsync()).Should().ContainKey(2);
        (await app.ItemCountAsync(shopId)).Should().Be(1, "the import added nothing");
        (await shopper.GetAsync($"/item/{itemId}")).StatusCode.Should().Be(HttpStatusCode.OK, "its items stay on sale");
        PageText.Text(await admin.PageAsync(Index)).Should().Contain("Retired");

        using var restored = await admin.PostAsync($"{Index}?id={category.Id}&handler=Restore", [], Index);

        restored.StatusCode.Should().Be(HttpStatusCode.Redirect);
        Menu(await (await shopper.GetAsync("/")).Content.ReadAsStringAsync()).Should().Contain($"?category={category.Id}\"");
        (await AuditAsync(app, "category", category.Id)).Select(a => a.Action).Should().Equal("category.create", "category.retire", "category.restore");
    }

    [Fact]
    public async Task A_category_holding_items_cannot_be_deleted_and_says_so_but_an_unused_one_can()
    {
        using var admin = await AdminAsync(app);
        var books = (await CategoryAsync("books"))!;
        var unused = await CreateAsync(admin, Tag());
        int booksItems;
        await using (var db = app.NewDb()) booksItems = await db.Items.CountAsync(i => i.CategoryId == books.Id);

        using var refused = await admin.PostAsync($"{Index}?id={books.Id}&handler=Delete", [], Index);
        var page = PageText.Text(await admin.PageAsync(Index));
        using var deleted = await admin.PostAsync($"{Index}?id={unused.Id}&handler=Delete", [], Index);

        refused.StatusCode.Should().Be(HttpStatusCode.Redirect);
        page.Should().Contain($"This category holds {booksItems} items, so it cannot be deleted. Retire it instead");
        (await CategoryAsync("books")).Should().NotBeNull();
        deleted.StatusCode.Should().Be(HttpStatusCode.Redirect);
        (await CategoryAsync(unused.Slug)).Should().BeNull();
        (await AuditAsync(app, "category", unused.Id)).Select(a => a.Action).Should().Equal("category.create", "category.delete");
        (await AuditAsync(app, "category", books.Id)).Should().BeEmpty("the refused delete wrote nothing");
    }

    [Fact]
    public async Task Moving_a_category_up_changes_the_order_of_the_storefront_menu()
    {
        using var admin = await AdminAsync(app);
        var category = await CreateAsync(admin, Tag());
        using var shopper = app.Shopper();
        string Position(string menu) => menu.IndexOf($"?category={category.Id}\"", StringComparison.Ordinal) < menu.IndexOf("?category=10\"", StringComparison.Ordinal) ? "before" : "after";
        Position(Menu(await (await shopper.GetAsync("/")).Content.ReadAsStringAsync())).Should().Be("after", "a new category comes last");

        // Up past every category created after the seeds, and past Books (10).
        for (var i = 0; i < 40 && Position(Menu(await (await shopper.GetAsync("/")).Content.ReadAsStringAsync())) == "after"; i++)
        {
            using var up = await admin.PostAsync($"{Index}?id={category.Id}&handler=Up", [], Index);
            up.StatusCode.Should().Be(HttpStatusCode.Redirect);
        }

        Position(Menu(await (await shopper.GetAsync("/")).Content.ReadAsStringAsync())).Should().Be("before");
        (await AuditAsync(app, "category", category.Id)).Select(a => a.Action).Should().Contain("category.move");
        await using var db = app.NewDb();
        var order = await db.Categories.OrderBy(c => c.SortOrder).Select(c => c.SortOrder).ToListAsync();
        order.Should().OnlyHaveUniqueItems("moving renumbers the whole order");
    }

    [Fact]
    public async Task Non_admins_cannot_reach_or_change_the_categories()
    {
        using var seller = await app.DemoSellerAsync(1);
        using var anonymous = app.Shopper();
        var before = await CategoryCountAsync();
        var tag = Tag();

        using var page = await seller.GetAsync(Index);
        using var post = await seller.PostAsync($"{Index}?handler=Create", NewCategory("x-" + tag, "X " + tag, "叉" + tag), "/Seller");
        using var retire = await seller.PostAsync($"{Index}?id=10&handler=Retire", [], "/Seller");
        using var anonymousPage = await anonymous.GetAsync(Index);

        Refused(page).Should().BeTrue();
        Refused(post).Should().BeTrue();
        Refused(retire).Should().BeTrue();
        anonymousPage.Headers.Location!.OriginalString.Should().Contain("/Account/SignIn");
        (await CategoryCountAsync()).Should().Be(before);
        (await CategoryAsync("books"))!.RetiredAt.Should().BeNull();
    }

    [Fact]
    public async Task The_category_pages_read_in_Chinese()
    {
        using var admin = new BrowserSession(app, "zh-CN");
        await admin.SignInAsync(AdminEmail, AdminPassword);

        var list = PageText.Text(await admin.PageAsync(Index));
        var edit = PageText.Text(await admin.PageAsync("/Admin/Categories/Edit/10"));

        list.Should().Contain("新建分类").And.Contain("停用").And.Contain("在售 / 全部商品").And.Contain("图书");
        edit.Should().Contain("重命名分类").And.Contain("保存名称");
    }
}
