using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using TaobaoAlliance.Data.Audit;
using TaobaoAlliance.Data.Catalog;
using TaobaoAlliance.Data.Commissions;
using TaobaoAlliance.Data.Cpc;
using TaobaoAlliance.Data.Identity;
using TaobaoAlliance.Data.Ledger;
using TaobaoAlliance.Data.Orders;
using TaobaoAlliance.Data.Payouts;
using TaobaoAlliance.Data.Settings;
using TaobaoAlliance.Data.Sites;
using TaobaoAlliance.Data.Store;
using TaobaoAlliance.Data.Subsidies;
using TaobaoAlliance.Data.Tracking;

namespace TaobaoAlliance.Data;

/// <summary>
/// The whole data model. Add a migration with:
/// <c>dotnet ef migrations add Name --project src/TaobaoAlliance.Data --output-dir Migrations</c>
/// </summary>
public sealed class AllianceDbContext(DbContextOptions<AllianceDbContext> options)
    : IdentityDbContext<AllianceUser, IdentityRole<long>, long>(options), IDataProtectionKeyContext
{
    /// <summary>The data-protection key ring (cookies, antiforgery tokens), shared by every node through the database.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<Webmaster> Webmasters => Set<Webmaster>();
    public DbSet<Seller> Sellers => Set<Seller>();
    public DbSet<Category> Categories => Set<Category>();
    public DbSet<Shop> Shops => Set<Shop>();
    public DbSet<Item> Items => Set<Item>();
    public DbSet<CommissionRateChange> CommissionRateChanges => Set<CommissionRateChange>();
    public DbSet<TargetedPlan> TargetedPlans => Set<TargetedPlan>();
    public DbSet<TargetedPlanMember> TargetedPlanMembers => Set<TargetedPlanMember>();
    public DbSet<Site> Sites => Set<Site>();
    public DbSet<SiteReview> SiteReviews => Set<SiteReview>();
    public DbSet<AdZone> AdZones => Set<AdZone>();
    public DbSet<Link> Links => Set<Link>();
    public DbSet<Click> Clicks => Set<Click>();
    public DbSet<Reports.ClickDaySite> ClickDaySites => Set<Reports.ClickDaySite>();
    public DbSet<Reports.CpcDayZone> CpcDayZones => Set<Reports.CpcDayZone>();
    public DbSet<Reports.CommissionDaySite> CommissionDaySites => Set<Reports.CommissionDaySite>();
    public DbSet<Reports.ClickDayItem> ClickDayItems => Set<Reports.ClickDayItem>();
    public DbSet<Reports.ClickDayWebmasterItem> ClickDayWebmasterItems => Set<Reports.ClickDayWebmasterItem>();
    public DbSet<Reports.ClickDayReason> ClickDayReasons => Set<Reports.ClickDayReason>();
    public DbSet<Reports.ClickDaySub> ClickDaySubs => Set<Reports.ClickDaySub>();
    public DbSet<Reports.OrderDayShop> OrderDayShops => Set<Reports.OrderDayShop>();
    public DbSet<Reports.OrderDayWebmaster> OrderDayWebmasters => Set<Reports.OrderDayWebmaster>();
    public DbSet<Reports.CommissionDayShop> CommissionDayShops => Set<Reports.CommissionDayShop>();
    public DbSet<Reports.CommissionDayWebmaster> CommissionDayWebmasters => Set<Reports.CommissionDayWebmaster>();
    public DbSet<Reports.CommissionDayItem> CommissionDayItems => Set<Reports.CommissionDayItem>();
    public DbSet<Reports.ShopCustomer> ShopCustomers => Set<Reports.ShopCustomer>();
    public DbSet<Reports.ShopCustomerDay> ShopCustomerDays => Set<Reports.ShopCustomerDay>();
    public DbSet<Reports.CustomerDayShop> CustomerDayShops => Set<Reports.CustomerDayShop>();
    public DbSet<Order> Orders => Set<Order>();
    public DbSet<OrderLine> OrderLines => Set<OrderLine>();
    public DbSet<OrderEvent> OrderEvents => Set<OrderEvent>();
    public DbSet<CartLine> CartLines => Set<CartLine>();
    public DbSet<Commission> Commissions => Set<Commission>();
    public DbSet<SubsidyProgramme> SubsidyProgrammes => Set<SubsidyProgramme>();
    public DbSet<Campaign> Campaigns => Set<Campaign>();
    public DbSet<CampaignItem> CampaignItems => Set<CampaignItem>();
    public DbSet<CampaignCategory> CampaignCategories => Set<CampaignCategory>();
    public DbSet<CampaignDailySpend> CampaignDailySpends => Set<CampaignDailySpend>();
    public DbSet<CpcCharge> CpcCharges => Set<CpcCharge>();
    public DbSet<Wallet.WalletDeposit> WalletDeposits => Set<Wallet.WalletDeposit>();
    public DbSet<LedgerAccount> LedgerAccounts => Set<LedgerAccount>();
    public DbSet<JournalEntry> JournalEntries => Set<JournalEntry>();
    public DbSet<JournalLine> JournalLines => Set<JournalLine>();
    public DbSet<PayoutRequest> PayoutRequests => Set<PayoutRequest>();
    public DbSet<PayoutMethod> PayoutMethods => Set<PayoutMethod>();
    public DbSet<AuditLogEntry> AuditLog => Set<AuditLogEntry>();
    public DbSet<PlatformSetting> PlatformSettings => Set<PlatformSetting>();
    public DbSet<Mail.OutboxEmail> OutboxEmails => Set<Mail.OutboxEmail>();
    public DbSet<Notifications.Notification> Notifications => Set<Notifications.Notification>();
    public DbSet<Notifications.NotificationPreference> NotificationPreferences => Set<Notifications.NotificationPreference>();
    public DbSet<Hooks.HookEndpoint> HookEndpoints => Set<Hooks.HookEndpoint>();
    public DbSet<Hooks.HookMessage> HookMessages => Set<Hooks.HookMessage>();
    public DbSet<Accounts.AdminInvite> AdminInvites => Set<Accounts.AdminInvite>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.HasPostgresExtension("pg_trgm");
        builder.ApplyConfigurationsFromAssembly(typeof(AllianceDbContext).Assembly);

        // Identity names its tables AspNetXxx explicitly; give them plain snake_case names like the rest.
        builder.Entity<AllianceUser>().ToTable("users");
        builder.Entity<IdentityRole<long>>().ToTable("roles");
        builder.Entity<IdentityUserRole<long>>().ToTable("user_roles");
        builder.Entity<IdentityUserClaim<long>>().ToTable("user_claims");
        builder.Entity<IdentityUserLogin<long>>().ToTable("user_logins");
        builder.Entity<IdentityUserToken<long>>().ToTable("user_tokens");
        builder.Entity<IdentityRoleClaim<long>>().ToTable("role_claims");
    }
}

/// <summary>Options shared by the app, the tests and the design-time tools, so all three see one model.</summary>
public static class AllianceDbOptions
{
    public static TBuilder UseAlliance<TBuilder>(this TBuilder options, string connectionString)
        where TBuilder : DbContextOptionsBuilder
    {
        options
            .UseNpgsql(connectionString, npgsql => npgsql.MigrationsAssembly(typeof(AllianceDbContext).Assembly.GetName().Name))
            .UseSnakeCaseNamingConvention();
        return options;
    }
}

/// <summary>Lets <c>dotnet ef</c> build the context without starting the web app.</summary>
internal sealed class DesignTimeFactory : IDesignTimeDbContextFactory<AllianceDbContext>
{
    public AllianceDbContext CreateDbContext(string[] args)
    {
        var connection = Environment.GetEnvironmentVariable("ConnectionStrings__Alliance")
            ?? "Host=127.0.0.1;Port=5433;Database=alliance;Username=alliance";
        return new AllianceDbContext(new DbContextOptionsBuilder<AllianceDbContext>().UseAlliance(connection).Options);
    }
}
