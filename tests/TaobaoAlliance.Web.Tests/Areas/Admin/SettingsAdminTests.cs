using System.Net;
using Microsoft.EntityFrameworkCore;
using static TaobaoAlliance.Web.Tests.Areas.Admin.AdminTesting;
using static TaobaoAlliance.Testing.MoneyWorld;
using TaobaoAlliance.Web.Tests.Clicks;

namespace TaobaoAlliance.Web.Tests.Areas.Admin;

/// <summary>The settings page: validated overrides stored in the database that the rules use from the next request on.</summary>
public sealed class SettingsAdminTests(AdminApp app) : IClassFixture<AdminApp>
{
    private const string WindowField = "Values[AttributionWindowDays]";
    private readonly MoneyWorld world = new(app);

    private static Func<BrowserSession.Form, bool> SettingsForm => f => f.Fields.ContainsKey(WindowField);

    private static Task<HttpResponseMessage> SaveAsync(BrowserSession admin, string field, string value) =>
        admin.SubmitAsync("/Admin/Settings", SettingsForm, new Dictionary<string, string> { [field] = value });

    private static Task<HttpResponseMessage> ResetAsync(BrowserSession admin, string property) =>
        admin.PostAsync("/Admin/Settings?handler=Reset", new Dictionary<string, string> { ["property"] = property }, "/Admin/Settings");

    private async Task<Dictionary<string, string>> OverridesAsync()
    {
        await using var db = app.NewDb();
        return await db.PlatformSettings.AsNoTracking().ToDictionaryAsync(s => s.Key, s => s.Value);
    }

    private async Task<int> SettingsAuditCountAsync()
    {
        await using var db = app.NewDb();
        return await db.AuditLog.CountAsync(a => a.EntityType == "platform_setting");
    }

    /// <summary>A paid order <paramref name="afterClick"/> after a fresh webmaster's click; returns what it earned.</summary>
    private async Task<long> OrderAfterClickAsync(TimeSpan afterClick)
    {
        var (item, _, _) = await world.ItemsAsync(shopId: 6);
        var webmaster = await world.NewWebmasterAsync();
        var visitor = Guid.NewGuid();
        await world.ClickAsync(webmaster, visitor, item.Id, world.Now - afterClick, itemRateBp: 1_000);
        var result = await world.ProcessAsync(Paid(item.ShopId, NewOrderId(), world.Now, visitor, Line(item.Id, 1, 10_000)));
        return result.Lines.Sum(l => l.CommissionFen);
    }

    [Fact]
    public async Task A_shorter_attribution_window_applies_to_the_next_order_without_a_restart()
    {
        using var admin = await AdminAsync(app);
        (await OrderAfterClickAsync(TimeSpan.FromDays(2))).Should().Be(1_000, "the default window is 15 days");
        try
        {
            using var response = await SaveAsync(admin, WindowField, "1");

            response.StatusCode.Should().Be(HttpStatusCode.Redirect);
            (await admin.PageAsync("/Admin/Settings")).Should().Contain("Settings saved. They apply from the next request.");
            (await OverridesAsync()).Should().Contain("Alliance:AttributionWindowDays", "1");
            await using (var db = app.NewDb())
            {
                var audit = await db.AuditLog.AsNoTracking().Where(a => a.Action == "settings.update").OrderBy(a => a.Id).LastAsync();
                audit.Details.Should().Contain("Alliance:AttributionWindowDays").And.Contain("\"from\": 15").And.Contain("\"to\": 1");
            }
            (await OrderAfterClickAsync(TimeSpan.FromDays(2))).Should().Be(0, "a click 2 days before the order is outside a 1-day window");
            (await OrderAfterClickAsync(TimeSpan.FromHours(12))).Should().Be(1_000, "a click 12 hours before is inside it");
        }
        finally
        {
            (await ResetAsync(admin, "AttributionWindowDays")).StatusCode.Should().Be(HttpStatusCode.Redirect);
        }
        (await OverridesAsync()).Should().NotContainKey("Alliance:AttributionWindowDays");
        (await OrderAfterClickAsync(TimeSpan.FromDays(2))).Should().Be(1_000, "back to the 15-day default");
    }

    [Fact]
    public async Task A_lower_click_limit_applies_to_the_next_click_without_a_restart()
    {
        using var admin = await AdminAsync(app);
        var link = await app.NewLinkAsync();
        using var shopper = app.Shopper();
        var ip = TestClientAddress.Fresh();
        async Task<bool> ClickIsValidAsync()
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/c/{link.Code}");
            request.Headers.Add(TestClientAddress.Header, ip);
            return (await app.ClickAsync((await shopper.SendAsync(request)).ClickId())).IsValid;
        }
        (await ClickIsValidAsync()).Should().BeTrue("the first click of the minute is within any limit");
        try
        {
            (await SaveAsync(admin, "Values[MaxClicksPerMinutePerIpPerSite]", "1")).StatusCode.Should().Be(HttpStatusCode.Redirect);

            (await ClickIsValidAsync()).Should().BeFalse("the click path reads the new limit of 1 (the default is 10)");
        }
        finally
        {
            (await ResetAsync(admin, "MaxClicksPerMinutePerIpPerSite")).StatusCode.Should().Be(HttpStatusCode.Redirect);
        }
    }

    [Theory]
    [InlineData("0", "Attribution window must be between 1 and 90.")]
    [InlineData("91", "Attribution window must be between 1 and 90.")]
    [InlineData("1.5", "Attribution window: enter a number (at most two decimals).")]
    [InlineData("fifteen", "Attribution window: enter a number (at most two decimals).")]
    public async Task A_value_outside_its_range_is_a_form_message_and_nothing_is_written(string value, string message)
    {
        using var admin = await AdminAsync(app);
        var audits = await SettingsAuditCountAsync();

        using var response = await SaveAsync(admin, WindowField, value);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var html = await response.Content.ReadAsStringAsync();
        html.Should().Contain(System.Net.WebUtility.HtmlEncode(message));
        html.Should().Contain($"value=\"{value}\"", "the form keeps what was typed");
        (await OverridesAsync()).Should().NotContainKey("Alliance:AttributionWindowDays");
        (await SettingsAuditCountAsync()).Should().Be(audits);
    }

    [Fact]
    public async Task Percent_and_yuan_are_stored_as_basis_points_and_fen()
    {
        using var admin = await AdminAsync(app);
        try
        {
            using var response = await admin.SubmitAsync("/Admin/Settings", SettingsForm, new Dictionary<string, string>
            {
                ["Values[PlatformFeeBp]"] = "12.5",
                ["Values[PayoutThresholdFen]"] = "88.80",
            });

            response.StatusCode.Should().Be(HttpStatusCode.Redirect);
            var overrides = await OverridesAsync();
            overrides.Should().Contain("Alliance:PlatformFeeBp", "1250").And.Contain("Alliance:PayoutThresholdFen", "8880");
            overrides.Should().NotContainKey("Alliance:AutoConfirmDays", "only changed values are stored");
            var page = await admin.PageAsync("/Admin/Settings");
            page.Should().Contain("value=\"12.5\"").And.Contain("value=\"88.80\"").And.Contain("Overridden");
        }
        finally
        {
            await ResetAsync(admin, "PlatformFeeBp");
            await ResetAsync(admin, "PayoutThresholdFen");
        }
        (await OverridesAsync()).Should().BeEmpty();
        (await admin.PageAsync("/Admin/Settings")).Should().Contain("value=\"10\"").And.Contain("value=\"100.00\"");
    }
}
