using Orleans;
using TaobaoAlliance.Application.Cluster;

namespace TaobaoAlliance.Application.Cpc;

/// <summary>
/// This node's way to a campaign's grain: the paid clicks that arrive while two calls to the campaign are out go
/// together in the next one, so a grain on another silo gets a message per batch, not per click. Two, as the grain
/// keeps two batches in flight: one commits while the next is decided.
/// </summary>
public sealed class CampaignCharges(IGrainFactory grains)
{
    private readonly CallCoalescer<long, PaidClick, CampaignChargeResult> calls =
        new((campaignId, clicks) => grains.GetGrain<ICampaignGrain>(campaignId).ChargeManyAsync(clicks), maxOutstanding: 2);

    public Task<CampaignChargeResult> ChargeAsync(long campaignId, PaidClick click) => calls.CallAsync(campaignId, click);
}
