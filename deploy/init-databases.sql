-- One database per subgraph, as each subgraph owns its data.
create database hub_alliances;
create database hub_networks;
create database hub_projects;
create database hub_people;
