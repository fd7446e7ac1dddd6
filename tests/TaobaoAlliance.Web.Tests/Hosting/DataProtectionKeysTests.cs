using System.Net;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static TaobaoAlliance.Web.Tests.Areas.Admin.AdminTesting;

namespace TaobaoAlliance.Web.Tests.Hosting;

/// <summary>Data-protection keys in PostgreSQL: a cookie and an antiforgery token made by one node are good on another.</summary>
public sealed class DataProtectionKeysTests(TwoNodes nodes) : IClassFixture<TwoNodes>
{
    private static Func<BrowserSession.Form, bool> SettingsForm => f => f.Fields.ContainsKey("Values[AttributionWindowDays]");

    /// <summary>A browser on node 2 with every cookie node 1's browser has.</summary>
    private BrowserSession OnSecondNode(BrowserSession onFirst)
    {
        var browser = new BrowserSession(nodes.Second);
        foreach (Cookie cookie in onFirst.Cookies.GetAllCookies()) browser.Cookies.Add(cookie);
        return browser;
    }

    private async Task<string?> OverrideAsync(string key)
    {
        await using var db = nodes.First.NewDb();
        return await db.PlatformSettings.Where(s => s.Key == key).Select(s => s.Value).SingleOrDefaultAsync();
    }

    [Fact]
    public async Task Signed_in_through_node_1_a_form_is_loaded_and_posted_through_node_2()
    {
        using var onFirst = await AdminAsync(nodes.First);
        using var onSecond = OnSecondNode(onFirst);

        using var response = await onSecond.SubmitAsync("/Admin/Settings", SettingsForm,
            new Dictionary<string, string> { ["Values[AutoConfirmDays]"] = "11" });

        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        response.Headers.Location!.OriginalString.Should().NotContain("SignIn");
        (await OverrideAsync("Alliance:AutoConfirmDays")).Should().Be("11");
    }

    [Fact]
    public async Task A_form_loaded_through_node_1_is_posted_through_node_2()
    {
        using var onFirst = await AdminAsync(nodes.First);
        var form = BrowserSession.Forms(await onFirst.PageAsync("/Admin/Settings")).First(SettingsForm);
        using var onSecond = OnSecondNode(onFirst); // the antiforgery cookie and token both come from node 1

        var fields = new Dictionary<string, string>(form.Fields) { ["Values[SettlementHoldDays]"] = "6" };
        using var response = await onSecond.PostRawAsync(form.Action.Length == 0 ? "/Admin/Settings" : form.Action, fields);

        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        response.Headers.Location!.OriginalString.Should().NotContain("SignIn");
        (await OverrideAsync("Alliance:SettlementHoldDays")).Should().Be("6");
    }

    [Fact]
    public async Task The_key_ring_is_kept_in_PostgreSQL_and_both_nodes_use_it()
    {
        using var onFirst = await AdminAsync(nodes.First);

        await using var db = nodes.First.NewDb();
        var stored = await db.DataProtectionKeys.AsNoTracking().Select(k => k.FriendlyName).ToListAsync();
        stored.Should().NotBeEmpty("signing in protected a cookie with a key the database keeps");
        foreach (var node in new[] { nodes.First, nodes.Second })
        {
            var keys = node.Services.GetRequiredService<IKeyManager>().GetAllKeys();
            keys.Select(k => "key-" + k.KeyId.ToString("D")).Should().BeEquivalentTo(stored);
        }
    }
}
