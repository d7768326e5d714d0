package ecs

//go:generate go run ../awsmodel/awsgen -service ecs -package ecs -o types_gen.go
