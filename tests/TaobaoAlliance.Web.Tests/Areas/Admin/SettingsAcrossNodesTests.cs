using System.Diagnostics;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TaobaoAlliance.Attribution;
using static TaobaoAlliance.Web.Tests.Areas.Admin.AdminTesting;

namespace TaobaoAlliance.Web.Tests.Areas.Admin;

/// <summary>A setting saved on one node is in force on every node once PostgreSQL's notification arrives, without a restart.</summary>
public sealed class SettingsAcrossNodesTests(ThreeNodes nodes) : IClassFixture<ThreeNodes>
{
    /// <summary>The options a request on <paramref name="node"/> runs on.</summary>
    private static AllianceOptions InForce(AllianceApp node)
    {
        using var scope = node.Services.CreateScope();
        return scope.ServiceProvider.GetRequiredService<IOptionsSnapshot<AllianceOptions>>().Value;
    }

    [Fact]
    public async Task A_setting_saved_on_node_1_is_in_force_on_node_3_within_a_second_and_on_node_2()
    {
        using var admin = await AdminAsync(nodes.First);
        foreach (var node in nodes.All) await node.SettingsCaughtUpAsync(); // every node listens before the save
        InForce(nodes.Third).AttributionWindowDays.Should().Be(15);
        try
        {
            using var response = await admin.SubmitAsync("/Admin/Settings", f => f.Fields.ContainsKey("Values[AttributionWindowDays]"),
                new Dictionary<string, string> { ["Values[AttributionWindowDays]"] = "3" });
            response.StatusCode.Should().Be(HttpStatusCode.Redirect);

            // A deadline, not a measurement: the bound for a change to reach every node, from the save's answer.
            var deadline = Stopwatch.StartNew();
            while (InForce(nodes.Third).AttributionWindowDays != 3 && deadline.Elapsed < TimeSpan.FromSeconds(1)) await Task.Delay(10);

            InForce(nodes.Third).AttributionWindowDays.Should().Be(3, "a setting saved on node 1 is in force on node 3 within a second");
            await nodes.Second.SettingsCaughtUpAsync();
            InForce(nodes.Second).AttributionWindowDays.Should().Be(3);
        }
        finally
        {
            using var reset = await admin.PostAsync("/Admin/Settings?handler=Reset",
                new Dictionary<string, string> { ["property"] = "AttributionWindowDays" }, "/Admin/Settings");
        }
        foreach (var node in nodes.All.Skip(1))
        {
            await node.SettingsCaughtUpAsync();
            InForce(node).AttributionWindowDays.Should().Be(15, "a reset on node 1 reaches the other nodes too");
        }
    }

    [Fact]
    public async Task A_setting_changed_by_plain_SQL_is_in_force_on_every_node()
    {
        await using (var db = nodes.First.NewDb())
        {
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO platform_settings (key, value, updated_at) VALUES ('Alliance:MaxClicksPerMinutePerIpPerSite', '4', now())
                """);
        }
        try
        {
            foreach (var node in nodes.All)
            {
                await node.SettingsCaughtUpAsync();
                InForce(node).MaxClicksPerMinutePerIpPerSite.Should().Be(4);
            }
        }
        finally
        {
            await using var db = nodes.First.NewDb();
            await db.Database.ExecuteSqlAsync($"DELETE FROM platform_settings WHERE key = 'Alliance:MaxClicksPerMinutePerIpPerSite'");
        }
        foreach (var node in nodes.All)
        {
            await node.SettingsCaughtUpAsync();
            InForce(node).MaxClicksPerMinutePerIpPerSite.Should().Be(10);
        }
    }
}
