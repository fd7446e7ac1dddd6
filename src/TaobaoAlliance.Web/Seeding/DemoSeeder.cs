using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Attribution.Ledger;
using TaobaoAlliance.Data;
using TaobaoAlliance.Data.Catalog;
using TaobaoAlliance.Data.Cpc;
using TaobaoAlliance.Data.Identity;
using TaobaoAlliance.Data.Sites;
using TaobaoAlliance.Data.Tracking;
using TaobaoAlliance.Application.Clicks;
using TaobaoAlliance.Web.Api;
using TaobaoAlliance.Web.Hosting;
using TaobaoAlliance.Application.Ledger;
using TaobaoAlliance.Attribution.Sites;

namespace TaobaoAlliance.Web.Seeding;

/// <summary>
/// Loads <c>seeds/</c> into the database. Idempotent: every row is matched on its natural key and only
/// what is missing is added, so running it twice changes nothing.
/// </summary>
public sealed class DemoSeeder(
    AllianceDbContext db,
    UserManager<AllianceUser> users,
    RoleManager<IdentityRole<long>> roles,
    IOptions<DatabaseOptions> options,
    LedgerWriter ledger,
    DemoHistory history,
    IWebHostEnvironment environment,
    TimeProvider clock,
    ILogger<DemoSeeder> logger)
{
    public string SeedFolder => Path.GetFullPath(Path.Combine(environment.ContentRootPath, options.Value.SeedPath));

    public async Task SeedAsync(CancellationToken cancellationToken = default)
    {
        var files = SeedFiles.Load(SeedFolder);
        var now = clock.GetUtcNow();

        foreach (var role in Roles.All)
        {
            if (!await roles.RoleExistsAsync(role)) Check(await roles.CreateAsync(new IdentityRole<long>(role)));
        }

        var people = new Dictionary<string, AllianceUser>();
        foreach (var seed in files.Accounts.Users)
        {
            people[seed.Key] = await EnsureUserAsync(seed, now);
        }
        var sellers = await EnsureRowsAsync(files.Accounts.Users.Where(u => u.Role == Roles.Seller), people,
            db.Sellers, s => s.UserId, (u, _) => new Seller { UserId = u.Id, CreatedAt = now });
        var webmasters = await EnsureRowsAsync(files.Accounts.Users.Where(u => u.Role == Roles.Webmaster), people,
            db.Webmasters, w => w.UserId, (u, seed) => new Webmaster
            {
                UserId = u.Id,
                CreatedAt = now,
                ApiKeyHash = seed.ApiKey is null ? null : ApiKeys.Hash(seed.ApiKey),
                ApiKeyPrefix = seed.ApiKey?[..Math.Min(12, seed.ApiKey.Length)],
            });

        await SeedCatalogAsync(files, sellers, now, cancellationToken);
        await SeedSitesAsync(files, webmasters, people["admin"], now, cancellationToken);
        await SeedCampaignsAsync(files, now, cancellationToken);
        await SeedSubsidiesAsync(files, now, cancellationToken);

        // Opening deposits, so the demo sellers can pay commission and CPC; the idempotency key makes them once-only.
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            foreach (var (seller, fen) in files.Accounts.WalletDepositsFen)
            {
                await ledger.PostAsync(Postings.Deposit(sellers[seller].Id, new Money(fen), $"seed:deposit:{seller}"), ct: cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
        }

        if (options.Value.SeedHistory) await history.GenerateAsync(cancellationToken);

        logger.LogInformation("Demo data loaded from {Folder}: {Categories} categories, {Shops} shops, {Items} items",
            SeedFolder, files.Categories.Count, files.Shops.Count, files.Items.Count);
        foreach (var user in files.Accounts.Users)
        {
            logger.LogInformation("Demo account {Role,-9} {Email} / {Password}", user.Role, user.Email, user.Password);
            if (user.AuthenticatorKey is not null)
            {
                logger.LogInformation("Demo account {Email} signs in with two factors: add the key {AuthenticatorKey} to an authenticator app", user.Email, user.AuthenticatorKey);
            }
        }
    }

    private async Task<AllianceUser> EnsureUserAsync(SeedFiles.UserSeed seed, DateTimeOffset now)
    {
        var user = await users.FindByEmailAsync(seed.Email);
        if (user is null)
        {
            user = new AllianceUser
            {
                UserName = seed.Email,
                Email = seed.Email,
                EmailConfirmed = true,
                DisplayName = seed.DisplayName,
                CreatedAt = now,
            };
            Check(await users.CreateAsync(user, seed.Password));
        }
        if (!await users.IsInRoleAsync(user, seed.Role)) Check(await users.AddToRoleAsync(user, seed.Role));
        // Admins must sign in with two factors; the demo admin's key is published (README, the log below) like its password.
        if (seed.AuthenticatorKey is { } key && !user.TwoFactorEnabled)
        {
            Check(await users.SetAuthenticationTokenAsync(user, "[AspNetUserStore]", "AuthenticatorKey", key));
            Check(await users.SetTwoFactorEnabledAsync(user, true));
        }
        return user;
    }

    private async Task<Dictionary<string, T>> EnsureRowsAsync<T>(
        IEnumerable<SeedFiles.UserSeed> seeds,
        Dictionary<string, AllianceUser> people,
        DbSet<T> set,
        Func<T, long> userIdOf,
        Func<AllianceUser, SeedFiles.UserSeed, T> create) where T : class
    {
        var existing = (await set.ToListAsync()).ToDictionary(userIdOf);
        var result = new Dictionary<string, T>();
        foreach (var seed in seeds)
        {
            var user = people[seed.Key];
            if (!existing.TryGetValue(user.Id, out var row))
            {
                row = create(user, seed);
                set.Add(row);
            }
            result[seed.Key] = row;
        }
        await db.SaveChangesAsync();
        return result;
    }

    private async Task SeedCatalogAsync(SeedFiles files, Dictionary<string, Seller> sellers, DateTimeOffset now, CancellationToken ct)
    {
        var categoryIds = await db.Categories.Select(c => c.Id).ToHashSetAsync(ct);
        db.Categories.AddRange(files.Categories.Where(c => !categoryIds.Contains(c.Id))
            .Select(c => new Category { Id = c.Id, Slug = c.Slug, NameZh = c.NameZh, NameEn = c.NameEn }));

        var shopIds = await db.Shops.Select(s => s.Id).ToHashSetAsync(ct);
        db.Shops.AddRange(files.Shops.Where(s => !shopIds.Contains(s.Id)).Select(s => new Shop
        {
            Id = s.Id,
            SellerId = sellers[s.Owner].Id,
            Slug = s.Slug,
            NameZh = s.NameZh,
            NameEn = s.NameEn,
            GeneralRateBp = Rate.FromPercent(s.GeneralRatePercent).BasisPoints,
            OrdersApiSecret = files.Accounts.ShopSecrets.GetValueOrDefault(s.Id.ToString()),
            StoreHost = string.IsNullOrWhiteSpace(s.StoreHost) ? null : s.StoreHost,
            CreatedAt = now,
        }));

        var itemIds = await db.Items.Select(i => i.Id).ToHashSetAsync(ct);
        db.Items.AddRange(files.Items.Where(i => !itemIds.Contains(i.Id)).Select(i => new Item
        {
            Id = i.Id,
            ShopId = i.ShopId,
            CategoryId = i.CategoryId,
            TitleZh = i.TitleZh,
            TitleEn = i.TitleEn,
            PriceFen = i.PriceFen,
            CommissionRateBp = Rate.FromPercent(i.CommissionRatePercent).BasisPoints,
            MonthlySales = i.MonthlySales,
            ImageUrl = i.Image,
            ExternalUrl = string.IsNullOrWhiteSpace(i.ExternalUrl) ? null : i.ExternalUrl,
            CreatedAt = now,
            UpdatedAt = now,
        }));
        await db.SaveChangesAsync(ct);

        // Rows were inserted with the ids of the files; move the identity sequences past them.
        await db.Database.ExecuteSqlRawAsync("""
            SELECT setval(pg_get_serial_sequence('shops', 'id'), GREATEST((SELECT MAX(id) FROM shops), 1));
            SELECT setval(pg_get_serial_sequence('items', 'id'), GREATEST((SELECT MAX(id) FROM items), 1));
            """, ct);
    }

    private async Task SeedSitesAsync(SeedFiles files, Dictionary<string, Webmaster> webmasters, AllianceUser admin,
        DateTimeOffset now, CancellationToken ct)
    {
        foreach (var seed in files.Accounts.Sites)
        {
            var webmaster = webmasters[seed.Webmaster];
            var site = await db.Sites.Include(s => s.Zones)
                .FirstOrDefaultAsync(s => s.WebmasterId == webmaster.Id && s.Url == seed.Url, ct);
            if (site is null)
            {
                site = new Site
                {
                    WebmasterId = webmaster.Id,
                    Name = seed.Name,
                    Url = seed.Url,
                    CategoryId = seed.CategoryId,
                    ClaimedDailyVisitors = seed.ClaimedDailyVisitors,
                    Description = seed.Description,
                    VerificationToken = seed.VerificationToken,
                    VerifiedAt = now,
                    State = SiteState.Approved,
                    CreatedAt = now,
                };
                site.Reviews.Add(new SiteReview { ToState = SiteState.Pending, At = now, Reason = "Demo site registered" });
                site.Reviews.Add(new SiteReview
                {
                    FromState = SiteState.Pending, ToState = SiteState.Approved, ActorUserId = admin.Id, At = now, Reason = "Demo data",
                });
                db.Sites.Add(site);
            }
            foreach (var zone in seed.Zones.Where(z => site.Zones.All(existing => existing.Name != z.Name)))
            {
                site.Zones.Add(new AdZone { Name = zone.Name, IsSmart = zone.Smart, CreatedAt = now });
            }
            await db.SaveChangesAsync(ct);

            var codes = seed.Links.Select(l => l.Code).ToList();
            var existingCodes = await db.Links.Where(l => codes.Contains(l.Code)).Select(l => l.Code).ToHashSetAsync(ct);
            db.Links.AddRange(seed.Links.Where(l => !existingCodes.Contains(l.Code)).Select(l => new Link
            {
                Code = l.Code,
                WebmasterId = webmaster.Id,
                SiteId = site.Id,
                ZoneId = site.Zones.Single(z => z.Name == l.Zone).Id,
                ItemId = l.ItemId,
                CreatedAt = now,
            }));
            await db.SaveChangesAsync(ct);
        }
    }

    /// <summary>CPC campaigns, so the demo smart zone shows an ad from the first run.</summary>
    private async Task SeedCampaignsAsync(SeedFiles files, DateTimeOffset now, CancellationToken ct)
    {
        foreach (var seed in files.Accounts.Campaigns ?? [])
        {
            if (await db.Campaigns.AnyAsync(c => c.ShopId == seed.ShopId && c.Name == seed.Name, ct)) continue;
            var campaign = new Campaign
            {
                ShopId = seed.ShopId, Name = seed.Name, BidFen = seed.BidFen, DailyBudgetFen = seed.DailyBudgetFen,
                State = CampaignState.Active, StartsAt = now, CreatedAt = now,
            };
            campaign.Items.AddRange(seed.ItemIds.Select(id => new CampaignItem { ItemId = id }));
            campaign.Categories.AddRange(seed.CategoryIds.Select(id => new CampaignCategory { CategoryId = id }));
            db.Campaigns.Add(campaign);
        }
        await db.SaveChangesAsync(ct);
    }

    /// <summary>The demo subsidy programmes, so the dashboard and the subsidy page show one running (once per name).</summary>
    private async Task SeedSubsidiesAsync(SeedFiles files, DateTimeOffset now, CancellationToken ct)
    {
        foreach (var seed in files.Accounts.Subsidies ?? [])
        {
            if (await db.SubsidyProgrammes.AnyAsync(p => p.Name == seed.Name, ct)) continue;
            db.SubsidyProgrammes.Add(new Data.Subsidies.SubsidyProgramme
            {
                Name = seed.Name, BonusBp = Rate.FromPercent(seed.BonusPercent).BasisPoints, StartsAt = now, EndsAt = now.AddDays(seed.Days),
                CategoryId = seed.CategoryId, CapFen = seed.CapFen, IsActive = true,
            });
        }
        await db.SaveChangesAsync(ct);
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("Seeding failed: " + string.Join("; ", result.Errors.Select(e => e.Description)));
        }
    }
}

/// <summary>Registers the demo seeder.</summary>
public static class DemoSeedingExtensions
{
    public static void AddDemoSeeding(this IServiceCollection services) => services.AddScoped<DemoSeeder>().AddScoped<DemoHistory>();
}
