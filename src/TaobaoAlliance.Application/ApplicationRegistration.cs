using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;
using TaobaoAlliance.Application.Accounts;
using TaobaoAlliance.Application.Audit;
using TaobaoAlliance.Application.Campaigns;
using TaobaoAlliance.Application.Catalog;
using TaobaoAlliance.Application.Clicks;
using TaobaoAlliance.Application.Cpc;
using TaobaoAlliance.Application.Fraud;
using TaobaoAlliance.Application.Hooks;
using TaobaoAlliance.Application.Ledger;
using TaobaoAlliance.Application.Notifications;
using TaobaoAlliance.Application.Library;
using TaobaoAlliance.Application.Links;
using TaobaoAlliance.Application.Orders;
using TaobaoAlliance.Application.Payouts;
using TaobaoAlliance.Application.Replica;
using TaobaoAlliance.Application.Reports;
using TaobaoAlliance.Application.Settings;
using TaobaoAlliance.Application.Sites;
using TaobaoAlliance.Application.Store;
using TaobaoAlliance.Application.Wallet;
using TaobaoAlliance.Attribution.Cpc;

namespace TaobaoAlliance.Application;

/// <summary>Registers every use case with its settings, one block per feature folder.</summary>
public static class ApplicationRegistration
{
    public static IServiceCollection AddAllianceApplication(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddScoped<AuditTrail>();
        services.AddNotifications();
        services.AddScoped<Onboarding.FirstSteps>();

        services.AddSingleton<LedgerAccountIds>();
        services.AddScoped<LedgerWriter>();

        services.AddOptions<ClickOptions>().BindConfiguration(ClickOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ClickPartitions>();
        services.AddHostedService(provider => provider.GetRequiredService<ClickPartitions>());
        services.AddSingleton<ClickMetrics>();
        // The writer's own data source (own pool): its one connection at a time never waits behind page queries.
        services.AddKeyedSingleton(ClickWriter.DataSourceKey, (provider, _) => NpgsqlDataSource.Create(
            configuration.GetConnectionString("Alliance") ?? throw new InvalidOperationException("ConnectionStrings:Alliance is not set.")));
        // The spool starts before the writer and so stops after it: clicks still in flight at shutdown have somewhere to go.
        services.AddSingleton<ClickSpool>();
        services.AddHostedService(provider => provider.GetRequiredService<ClickSpool>());
        services.AddHostedService<ClickSpoolReplayer>();
        services.AddSingleton<ClickWriter>();
        services.AddHostedService(provider => provider.GetRequiredService<ClickWriter>());
        services.AddSingleton<ClickTargets>();
        services.AddSingleton<ClickTargetsInvalidation>();
        services.AddHostedService<ClickTargetsListener>();
        services.TryAddSingleton<RecentClicks>();
        // This node's memory, unless the hosting registered the cluster's count first (AddClusterWideClickLimit).
        services.TryAddSingleton<IRecentClicks>(provider => provider.GetRequiredService<RecentClicks>());
        services.AddScoped<ClickRecorder>();

        services.AddOptions<CpcOptions>().BindConfiguration(CpcOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(provider => new ClickTokens(provider.GetRequiredService<IOptions<CpcOptions>>().Value.TokenKeyBytes()));
        services.AddSingleton<CpcMetrics>();
        services.AddSingleton<ImpressionCounter>();
        services.AddSingleton<ImpressionFlusher>();
        services.AddHostedService(provider => provider.GetRequiredService<ImpressionFlusher>());
        services.AddSingleton<AdCampaigns>();
        services.AddSingleton<AdCampaignsInvalidation>();
        services.AddSingleton<AdStateInvalidation>();
        services.AddHostedService<AdCampaignsListener>();
        services.AddScoped<AdServer>();
        services.AddScoped<CpcClicks>();
        services.AddScoped<CampaignChargeWriter>();

        services.AddScoped<CommissionVoider>();
        services.AddScoped<CpcClickVoider>();
        services.AddScoped<CpcHoldRelease>();
        // Off where the order life is off (tests move the clock and run it themselves), or on its own.
        if (configuration.GetValue("CpcRelease:Enabled", defaultValue: configuration.GetValue("OrderLifecycle:Enabled", defaultValue: true)))
        {
            services.AddHostedService<CpcHoldReleaseService>();
        }
        services.AddScoped<PayoutService>();

        services.AddOptions<SiteFetchOptions>().BindConfiguration(SiteFetchOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ISiteFetcher, SiteFetcher>();
        services.AddScoped<SiteOwnership>();
        services.AddScoped<SiteReviews>();

        services.AddOptions<WalletOptions>().BindConfiguration(WalletOptions.Section).ValidateDataAnnotations()
            .Validate(o => o.MinDepositFen <= o.MaxDepositFen, "Wallet:MinDepositFen must not be above Wallet:MaxDepositFen.")
            .ValidateOnStart();
        // The simulated payment step; a real provider (or a test's gateway) replaces this registration.
        services.TryAddSingleton<IPaymentGateway, DevelopmentPaymentGateway>();
        services.AddScoped<WalletDeposits>();

        services.AddScoped<LinkService>();
        services.AddScoped<ItemLibrary>();
        services.AddScoped<PlanApplications>();
        services.AddScoped<SiteRegistration>();
        services.AddScoped<SiteZones>();
        services.AddScoped<WebmasterSiteDetails>();
        services.AddScoped(provider => ActivatorUtilities.CreateInstance<WebmasterReport>(provider, provider.GetRequiredService<ReportReads>().Db));
        services.AddScoped<WebmasterCommissions>();
        services.AddScoped<AccountAccess>();
        services.AddOptions<AccountOptions>().BindConfiguration(AccountOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<MyData>();
        services.AddScoped<AccountDeletion>();
        services.AddScoped<AdminInvites>();

        services.AddScoped<CampaignForms>();
        services.AddScoped<CampaignEditor>();

        services.AddScoped<ItemImporter>();
        services.AddScoped<ShopEditor>();
        services.AddScoped<CatalogItems>();
        services.AddScoped<CategoryAdmin>().AddScoped<ItemDelisting>();
        services.AddScoped<TargetedPlans>();
        services.AddScoped<ShopApiSecrets>();

        services.AddScoped(provider => ActivatorUtilities.CreateInstance<SellerReport>(provider, provider.GetRequiredService<ReportReads>().Db));
        services.AddScoped(provider => ActivatorUtilities.CreateInstance<Economics.TrafficEconomics>(provider, provider.GetRequiredService<ReportReads>().Db));
        services.AddScoped<Subsidies.SubsidyProgrammes>();

        services.AddScoped<OrderEventProcessor>();
        services.AddScoped<OrderLifecycle>();
        // Tests drive the order life themselves with a fake clock; everywhere else it runs every minute.
        if (configuration.GetValue("OrderLifecycle:Enabled", defaultValue: true))
        {
            services.AddHostedService<OrderLifecycleService>();
        }
        services.AddScoped<Checkout>();
        services.AddScoped<BuyerOrders>();

        // Report and dashboard reads go to the read replica while it answers (ConnectionStrings:AllianceReplica), else the primary.
        services.AddSingleton<ReadReplica>();
        services.AddHostedService(provider => provider.GetRequiredService<ReadReplica>());
        services.AddScoped<ReportReads>();

        services.AddScoped<PlatformSettingsEditor>();
        services.AddSingleton<PlatformSettingsListener>();
        services.AddHostedService(provider => provider.GetRequiredService<PlatformSettingsListener>());
        services.AddScoped<SitesForReview>();
        services.AddScoped<WalletStatement>();
        services.AddScoped<WebmasterAccounts>();
        services.AddAllianceHooks();
        return services;
    }
}
