using TaobaoAlliance.Application.Changes;
using TaobaoAlliance.Data.Catalog;
using TaobaoAlliance.Data.Cpc;
using TaobaoAlliance.Data.Ledger;

namespace TaobaoAlliance.Application.Cpc;

/// <summary>Drops this node's <see cref="AdCampaigns"/> book as soon as this node commits a change to what it holds.</summary>
public sealed class AdCampaignsInvalidation(AdCampaigns campaigns)
    : SavedEntitiesInterceptor(typeof(Campaign), typeof(CampaignItem), typeof(CampaignCategory), typeof(Item), typeof(Shop))
{
    protected override ValueTask SavedAsync()
    {
        campaigns.DropBook();
        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// Drops this node's <see cref="AdCampaigns"/> state as soon as this node commits money (a ledger entry: a charge, a
/// deposit, a settlement) or a charge: the next ad is chosen with this node's own changes in.
/// </summary>
public sealed class AdStateInvalidation(AdCampaigns campaigns) : SavedEntitiesInterceptor(typeof(JournalEntry), typeof(CpcCharge))
{
    protected override ValueTask SavedAsync()
    {
        campaigns.DropState();
        return ValueTask.CompletedTask;
    }
}
