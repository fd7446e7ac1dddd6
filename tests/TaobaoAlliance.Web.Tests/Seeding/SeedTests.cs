using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TaobaoAlliance.Data.Identity;
using TaobaoAlliance.Web.Seeding;
using TaobaoAlliance.Web.Tests.Data;
using TaobaoAlliance.Web.Tests.Pages.Store;

namespace TaobaoAlliance.Web.Tests.Seeding;

public sealed class SeedTests(AllianceApp app) : IClassFixture<AllianceApp>
{
    [Fact]
    public async Task Seeds_load_with_counts_that_match_the_files()
    {
        var files = LoadFiles();
        await using var db = app.NewDb();

        (await db.Categories.CountAsync()).Should().Be(files.Categories.Count);
        (await db.Shops.CountAsync()).Should().Be(files.Shops.Count);
        (await db.Items.CountAsync()).Should().Be(files.Items.Count);
        (await db.Users.CountAsync()).Should().Be(files.Accounts.Users.Count);
        (await db.Sites.CountAsync()).Should().Be(files.Accounts.Sites.Count);
        (await db.Links.CountAsync()).Should().Be(files.Accounts.Sites.Sum(s => s.Links.Count));
        (await db.AdZones.CountAsync()).Should().Be(files.Accounts.Sites.Sum(s => s.Zones.Count));
        files.Items.Should().HaveCountGreaterThanOrEqualTo(300);
        files.Shops.Should().HaveCountGreaterThanOrEqualTo(8);
        files.Categories.Should().HaveCountGreaterThanOrEqualTo(8);
    }

    [Fact]
    public async Task Seeded_values_are_the_values_of_the_files()
    {
        var files = LoadFiles();
        var row = files.Items[^1];
        await using var db = app.NewDb();

        var item = await db.Items.SingleAsync(i => i.Id == row.Id);
        item.TitleZh.Should().Be(row.TitleZh);
        item.PriceFen.Should().Be(row.PriceFen);
        item.CommissionRateBp.Should().Be((int)(row.CommissionRatePercent * 100));
        var webmaster = await db.Webmasters.Include(w => w.User).FirstAsync(w => w.User.Email == "webmaster1@taobaoalliance.local");
        webmaster.ApiKeyHash.Should().Be(TaobaoAlliance.Web.Api.ApiKeys.Hash(files.Accounts.Users.Single(u => u.Key == "webmaster1").ApiKey!),
            "the API key is stored hashed, never as it is");
        (await db.Shops.SingleAsync(s => s.Id == 1)).OrdersApiSecret.Should().Be(files.Accounts.ShopSecrets["1"]);
    }

    [Fact]
    public async Task Loading_the_seeds_twice_changes_nothing()
    {
        var before = await SnapshotAsync();

        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedAsync();
        }

        (await SnapshotAsync()).Should().Equal(before);
    }

    [Fact]
    public async Task Demo_accounts_can_sign_in_with_the_passwords_of_the_file()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<AllianceUser>>();
        foreach (var seed in LoadFiles().Accounts.Users)
        {
            var user = await users.FindByEmailAsync(seed.Email);
            user.Should().NotBeNull();
            (await users.CheckPasswordAsync(user!, seed.Password)).Should().BeTrue(seed.Email);
            (await users.IsInRoleAsync(user!, seed.Role)).Should().BeTrue();
        }
    }

    private SeedFiles LoadFiles()
    {
        using var scope = app.Services.CreateScope();
        return SeedFiles.Load(scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedFolder);
    }

    /// <summary>Row counts and a checksum of the content of every seeded table.</summary>
    private async Task<List<string>> SnapshotAsync()
    {
        await using var db = app.NewDb();
        var result = new List<string>();
        foreach (var table in new[] { "users", "roles", "user_roles", "webmasters", "sellers", "categories", "shops", "items",
                     "sites", "site_reviews", "ad_zones", "links", "ledger_accounts", "journal_entries", "journal_lines" })
        {
#pragma warning disable EF1002 // the table names are the constants above
            var digest = await db.Database.SqlQueryRaw<string>(
                $"SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') AS \"Value\" FROM {table} t")
                .SingleAsync();
#pragma warning restore EF1002
            result.Add(table + "=" + digest);
        }
        return result;
    }
}
